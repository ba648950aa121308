/** The shared options validator: the closest name, snake_case → camelCase, the error text. */
import assert from "node:assert/strict";
import { checkOptions, closestName, editDistance, snakeToCamel } from "../../lib/util/options.ts";

Deno.test("editDistance counts a transposition of neighbours as one edit (Damerau-Levenshtein)", () => {
  assert.equal(editDistance("methd", "method"), 1);
  assert.equal(editDistance("mehtod", "method"), 1);
  assert.equal(editDistance("", "abc"), 3);
  assert.equal(editDistance("kitten", "sitting"), 3);
});

Deno.test("snakeToCamel turns lmfit's spellings into ours", () => {
  assert.equal(snakeToCamel("nan_policy"), "nanPolicy");
  assert.equal(snakeToCamel("max_nfev"), "maxNfev");
  assert.equal(snakeToCamel("fcn_args"), "fcnArgs");
  assert.equal(snakeToCamel("minimizer_kwargs"), "minimizerKwargs");
  assert.equal(snakeToCamel("_private"), "_private");
});

Deno.test("closestName prefers the camelCase form, then the nearest name, else nothing", () => {
  const valid = ["method", "nanPolicy", "maxNfev", "args", "kws"];
  assert.equal(closestName("nan_policy", valid), "nanPolicy");
  assert.equal(closestName("max_nfev", valid), "maxNfev");
  assert.equal(closestName("methd", valid), "method");
  assert.equal(closestName("MaxNfev", valid), "maxNfev");
  assert.equal(closestName("completelyDifferent", valid), undefined);
});

Deno.test("checkOptions rejects an unknown key naming it, the closest key and the caller", () => {
  assert.throws(
    () => checkOptions({ nan_policy: "omit" }, ["nanPolicy", "maxNfev"], "minimize"),
    (e: Error) =>
      e instanceof TypeError &&
      /^minimize: unknown option 'nan_policy'; did you mean nanPolicy\?/.test(e.message) &&
      /Valid options: maxNfev, nanPolicy/.test(e.message),
  );
  assert.throws(() => checkOptions({ zzzz: 1 }, ["a"], "f"), /no option has a similar name/);
  // Known keys, undefined values (an optional property not given) and no options at all pass.
  checkOptions({ nanPolicy: "omit", other: undefined }, ["nanPolicy"], "f");
  checkOptions(undefined, ["a"], "f");
  assert.throws(
    () => checkOptions("x" as unknown as object, ["a"], "f"),
    /options must be an object/,
  );
});
