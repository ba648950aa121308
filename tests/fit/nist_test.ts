/**
 * The NIST StRD nonlinear-regression suite through the public API (`minimize`, default
 * leastsq settings, forward-difference Jacobian), scored as matching digits (LRE) of the
 * values and standard errors against NIST's certified results.
 *
 * Bar (issue #3): ≥ 48 of 54 cases reach 6 digits in every value, ≥ 46 reach 4 digits in every
 * standard error, and no case reports success at a wrong minimum (< 4 digits).
 */
import assert from "node:assert/strict";
import { Minimizer, Parameters } from "../../mod.ts";
import { lre, type NistScoreRow, scoreTable } from "../_nist.ts";
import { loadNist, NIST_NAMES, nistModelResidual } from "../_nist_api.ts";

/** Fits every problem from both starts and scores it. */
export function scoreNist(): NistScoreRow[] {
  const out: NistScoreRow[] = [];
  for (const name of NIST_NAMES) {
    const prob = loadNist(name);
    for (const start of [1, 2] as const) {
      const params = new Parameters();
      (start === 1 ? prob.start1 : prob.start2).forEach((v, i) =>
        params.add(`b${i + 1}`, { value: v })
      );
      const result = new Minimizer(nistModelResidual(prob), params, { nanPolicy: "propagate" })
        .minimizeSync();
      let lv = 11, ls = 11;
      prob.certified.forEach((c, i) => {
        const p = result.params.get(`b${i + 1}`)!;
        lv = Math.min(lv, lre(p.value, c));
        ls = Math.min(ls, p.stderr === null ? 0 : lre(p.stderr, prob.certifiedStderr[i]));
      });
      out.push({
        name,
        start,
        success: result.success,
        lreValues: lv,
        lreStderr: ls,
        nfev: result.nfev,
        message: result.message,
      });
    }
  }
  return out;
}

Deno.test("NIST StRD: >= 48/54 cases to 6 digits, >= 46/54 stderr to 4 digits, no false success", () => {
  const scores = scoreNist();
  assert.equal(scores.length, 54);
  const values6 = scores.filter((s) => s.lreValues >= 6).length;
  const stderr4 = scores.filter((s) => s.lreStderr >= 4).length;
  const falseSuccess = scores.filter((s) => s.success && s.lreValues < 4);
  console.log(scoreTable(scores));
  assert.deepEqual(
    falseSuccess.map((s) => `${s.name} start ${s.start}`),
    [],
    "success reported at a wrong minimum",
  );
  assert.ok(values6 >= 48, `only ${values6}/54 cases reach 6 digits`);
  assert.ok(stderr4 >= 46, `only ${stderr4}/54 cases reach 4 digits in stderr`);
});
