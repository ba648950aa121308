// Mirrors lmfit 1.1.0 tests/test_jsonutils.py. Left out, Python-only: test_import_from
// (importing Python functions by module path), test_encode_decode (numpy arrays, complex
// numbers, tuples and Python functions through encode4js/decode4js) and
// test_encode_decode_pandas.
import { Parameters } from "../../mod.ts";
import { assert, parityTest } from "./_parity.ts";

const F = "test_jsonutils";

parityTest(F, "test_altered_params_json", () => {
  const pars = new Parameters();
  pars.add("a", { value: 3.0, min: 0 });
  pars.add("b", { value: 10.0, max: 1000 });
  pars.add("c", { value: 20.0 });
  pars.add("d", { expr: "c - b/a" });
  const jsonRep = pars.dumps().replaceAll("-Infinity", "null").replaceAll("Infinity", "null")
    .replaceAll('"-inf"', "null").replaceAll('"inf"', "null");
  const fresh = new Parameters();
  fresh.loads(jsonRep);
  for (const name of ["a", "b", "c", "d"]) {
    assert.equal(fresh.get(name)!.value, pars.get(name)!.value);
    assert.equal(fresh.get(name)!.min, pars.get(name)!.min);
    assert.equal(fresh.get(name)!.max, pars.get(name)!.max);
  }
});
