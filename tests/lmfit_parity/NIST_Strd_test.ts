// Mirrors lmfit 1.1.0 tests/test_NIST_Strd.py: each NIST StRD problem's residual sum of squares
// at the certified values, then leastsq from start 1 and start 2 (nanPolicy "raise"); passes when
// either start matches every certified value to more than 2 digits (lmfit's `ndig`).
import { minimize, Parameters } from "../../mod.ts";
import { loadNist, NIST_NAMES, nistModelResidual } from "../_nist_api.ts";
import { assert, assertAllclose, parityTest } from "./_parity.ts";

const F = "test_NIST_Strd";

const ndig = (a: number, b: number) =>
  Math.round(-Math.log10((Math.abs(Math.abs(a) - Math.abs(b)) + 1e-15) / Math.abs(b)));

async function nistDataset(name: string, start: "start1" | "start2"): Promise<boolean> {
  const prob = loadNist(name);
  const resid = nistModelResidual(prob);
  const params = new Parameters();
  prob[start].forEach((v, i) => params.add(`b${i + 1}`, { value: v }));
  let fit;
  try {
    fit = await minimize(resid, params, { nanPolicy: "raise" });
  } catch {
    return false; // lmfit: "Fit failed... nans?"
  }
  let digs = 200;
  for (let i = 0; i < prob.nparams; i++) {
    digs = Math.min(digs, ndig(fit.params.get(`b${i + 1}`)!.value, prob.certified[i]));
  }
  return digs > 2;
}

for (const name of NIST_NAMES) {
  parityTest(F, `test_${name}`, async () => {
    const prob = loadNist(name);
    const cert = new Parameters();
    prob.certified.forEach((v, i) => cert.add(`b${i + 1}`, { value: v }));
    const r = nistModelResidual(prob)(cert);
    let rss = 0;
    for (const v of r) rss += v * v;
    if (prob.certifiedSsr < 1e-16) assert.ok(rss < 1e-16);
    else assertAllclose(rss, prob.certifiedSsr);
    const out1 = await nistDataset(name, "start1");
    const out2 = await nistDataset(name, "start2");
    assert.ok(out1 || out2);
  });
}
