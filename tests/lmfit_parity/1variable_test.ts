// Mirrors lmfit 1.1.0 tests/test_1variable.py.
import { minimize, Parameters } from "../../mod.ts";
import { arange, assert, assertAllclose, parityTest } from "./_parity.ts";

const F = "test_1variable";

const linearChisq = (
  params: Parameters,
  x: Float64Array,
  data: Float64Array,
  errs?: Float64Array,
) => {
  if (!(params instanceof Parameters)) {
    throw new TypeError("Params argument is not a lmfit parameter set");
  }
  if (!params.has("m")) throw new Error("No slope parameter (m) defined in the model");
  if (!params.has("c")) throw new Error("No intercept parameter (c) defined in the model");
  const { m, c } = params.valuesdict();
  return x.map((v, i) => (data[i] - (m * v + c)) / (errs ? errs[i] : 1));
};

parityTest(F, "test_1var", async () => {
  const rands = [
    -0.21698284,
    0.41900591,
    0.02349374,
    -0.218552,
    -0.3513699,
    0.33418304,
    0.04226855,
    0.213303,
    0.45948731,
    0.33587736,
  ];
  const x = arange(10).map((v) => v + 1);
  const y = x.map((v, i) => v + rands[i]);
  const params = new Parameters();
  params.add("m", { value: 1.0, vary: true });
  params.add("c", { value: 0.0, vary: false });
  const out = await minimize(linearChisq, params, { args: [x, y] });
  // lmfit checks the input params (unchanged at m = 1.0, within its atol of 0.02 of 1.025).
  assertAllclose(params.get("m")!, 1.025, { rtol: 0.02, atol: 0.02 });
  assert.equal(params.size, 2);
  assert.equal(out.nvarys, 1);
  assert.ok(out.chisqr > 0.01);
  assert.ok(out.chisqr < 5.0);
});
