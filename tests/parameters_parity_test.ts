// lmfit 1.1.0 parity for Parameters (issue 12, point 6) and constraint expressions (issue 13,
// point 5). Python's behaviour is quoted beside each check; the files in
// tests/testdata/lmfit_files/ were written by Python lmfit (scripts/gen_lmfit_files_fixture.py).
import assert from "node:assert/strict";
import { minimize, Model, Parameter, ParameterError, Parameters } from "../mod.ts";

const FILES = new URL("./testdata/lmfit_files/", import.meta.url);

/** A number from expected.json, where Python's str() wrote non-finite ones ("inf", "-inf"). */
const pyFloat = (v: unknown): number =>
  v === "inf" ? Infinity : v === "-inf" ? -Infinity : v === "nan" ? NaN : v as number;

Deno.test("update adds or replaces parameters and symbols from another collection", () => {
  const params = new Parameters();
  params.add("amp", { value: 1 });
  params.add("half", { expr: "amp / 2" });
  const other = new Parameters();
  other.symtable.set("k", 3);
  other.add("amp", { value: 8, min: 0 });
  other.add("cen", { expr: "k * 2" });
  assert.equal(params.update(other), params); // lmfit returns the collection too
  assert.deepEqual(params.valuesdict(), { amp: 8, half: 4, cen: 6 });
  assert.equal(params.get("amp")!.min, 0);
  other.get("amp")!.value = 1;
  assert.equal(params.get("amp")!.value, 8, "update copies, it does not share Parameter objects");
});

Deno.test("eval evaluates an expression in the parameters' namespace", () => {
  const params = new Parameters();
  params.add("amp", { value: 3 });
  params.add("sigma", { value: 2 });
  params.symtable.set("scale", 10);
  // Python: params.eval("amp * sigma + scale") == 16
  assert.equal(params.eval("amp * sigma + scale"), 16);
  assert.equal(params.eval("sqrt(amp**2 + 16)"), 5);
  assert.throws(() => params.eval("amp * nope"), /eval: "amp \* nope" uses unknown name 'nope'/);
  assert.throws(
    () => params.eval("amp / 0"),
    /eval: "amp \/ 0" cannot be evaluated: division by zero/,
  );
});

Deno.test("a Parameters file written by Python lmfit loads, names that shadow built-ins included", () => {
  const expected = JSON.parse(Deno.readTextFileSync(new URL("expected.json", FILES)));
  const params = new Parameters().load(new URL("params.json", FILES));
  assert.deepEqual([...params.keys()], Object.keys(expected.params));
  for (const [name, e] of Object.entries(expected.params) as [string, Record<string, unknown>][]) {
    const p = params.get(name)!;
    assert.equal(p.value, e.value, name);
    assert.equal(p.min, pyFloat(e.min), name);
    assert.equal(p.max, pyFloat(e.max), name);
    assert.equal(p.vary, e.vary, name);
    assert.equal(p.expr, e.expr, name);
    assert.equal(p.stderr, e.stderr, name);
    assert.equal(p.bruteStep, e.brute_step, name);
  }
  assert.equal(params.get("amp")!.max, Infinity); // Python writes a bare `Infinity`
  assert.deepEqual(params.get("amp")!.correl, { cen: 0.125 });
  assert.deepEqual(params.get("cen")!.userData, { unit: "s" });
  assert.equal(params.symtable.get("scale"), 2.5); // a user symbol; lmfit's own (erf, pi...) skipped
  assert.equal(params.symtable.size, 1);
  // `e` is a parameter here, shadowing Euler's number: half = amp/2 + e*scale = 5.25 + 5
  assert.equal(params.get("half")!.value, 10.25);
});

Deno.test("dump and load go through files and streams in lmfit's layout", async () => {
  const params = new Parameters();
  params.add("amp", { value: 2.5, min: 0 });
  params.add("twice", { expr: "2 * amp" });
  const path = await Deno.makeTempFile({ suffix: ".json" });
  try {
    params.dump(path);
    const text = Deno.readTextFileSync(path);
    assert.equal(
      text,
      '{"unique_symbols":{},"params":[["amp",2.5,true,null,0,Infinity,null,null,null,null,null],' +
        '["twice",5,false,"2 * amp",-Infinity,Infinity,null,null,null,null,null]]}',
    );
    assert.equal(new Parameters().load(path).get("twice")!.value, 5);
    const file = await Deno.open(path, { write: true, truncate: true });
    await params.dump(file.writable);
    const read = await Deno.open(path);
    const back = await new Parameters().load(read.readable);
    assert.deepEqual(back.valuesdict(), { amp: 2.5, twice: 5 });
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("names of built-in constants and functions are parameter names, as in lmfit", () => {
  // Python: Parameters().add('e', value=1) works; the parameter shadows the constant.
  const params = new Parameters();
  params.add("e", { value: 1 });
  params.add("pi", { value: 2 });
  params.add("max", { value: 3 });
  params.add("sum", { expr: "e * 2 + pi + max" });
  assert.equal(params.get("sum")!.value, 7);
  assert.equal(params.eval("exp(e)"), Math.E, "exp is still the function");
  // Python keywords stay reserved: Parameters().add('lambda') raises in lmfit too.
  assert.throws(() => params.add("lambda", { value: 1 }), /'lambda' is a reserved name/);
  assert.throws(() => params.add("None", { value: 1 }), /reserved name/);
});

Deno.test("brute fits a parameter named e (lmfit's brute tests name one so)", async () => {
  const params = new Parameters();
  params.add("a", { value: 1, min: -4, max: 4, bruteStep: 0.25 });
  params.add("e", { value: 0, min: -4, max: 4, bruteStep: 0.25 });
  const f = (p: Parameters) => (p.get("a")!.value - 1) ** 2 + (p.get("e")!.value + 2) ** 2;
  const result = await minimize(f, params, { method: "brute", Ns: 33 });
  assert.equal(result.params.get("a")!.value, 1);
  assert.equal(result.params.get("e")!.value, -2);
});

Deno.test("bounds given the wrong way round are swapped, as lmfit does", () => {
  // Python: Parameter('a', value=5, min=10, max=1) -> bounds=[1:10]
  const p = new Parameter("a", { value: 5, min: 10, max: 1 });
  assert.deepEqual([p.min, p.max, p.value], [1, 10, 5]);
  const params = new Parameters();
  params.add("b", { value: 20, min: 10, max: 1 });
  assert.deepEqual([params.get("b")!.min, params.get("b")!.max, params.get("b")!.value], [
    1,
    10,
    10,
  ]);
});

Deno.test("copy keeps a subclass of Parameters", () => {
  class Peaks extends Parameters {
    centers(): number[] {
      return [...this.keys()].filter((k) => k.endsWith("center")).map((k) => this.get(k)!.value);
    }
  }
  const peaks = new Peaks();
  peaks.add("p1_center", { value: 1.5 });
  const copy = peaks.copy();
  assert.ok(copy instanceof Peaks);
  assert.deepEqual(copy.centers(), [1.5]);
});

Deno.test("a parameter works in JavaScript arithmetic through valueOf", () => {
  const params = new Parameters();
  const amp = params.add("amp", { value: 3 });
  params.add("half", { expr: "amp / 2" });
  assert.equal(+amp * 2, 6);
  assert.equal(Math.sqrt(+params.get("half")!), Math.sqrt(1.5));
  assert.ok((amp as unknown as number) > 2);
});

Deno.test("constraints that Python cannot evaluate are errors naming the parameter", () => {
  // Python raises ZeroDivisionError / OverflowError for each of these; inf was silently kept.
  const params = new Parameters();
  params.add("a", { value: 0 });
  const cases: [string, RegExp][] = [
    ["1/0", /Parameter 'd': expression "1\/0" cannot be evaluated: division by zero/],
    ["1 // a", /division by zero/],
    ["5 % a", /modulo by zero/],
    ["10**10**10", /Parameter 'd': expression "10\*\*10\*\*10" cannot be evaluated: .*overflow/],
    ["2**10000", /overflow/],
    ["a ** -1", /0\.0 cannot be raised to a negative power/],
  ];
  for (const [expr, message] of cases) {
    assert.throws(() => params.add("d", { expr }), (e: unknown) => {
      assert.ok(e instanceof ParameterError);
      assert.equal(e.parameter, "d");
      assert.match(e.message, message);
      return true;
    }, expr);
  }
  assert.equal(params.has("d"), false, "nothing was added");
  // Infinities that come in as values are not errors (Python: inf * 2 is inf).
  params.add("big", { value: Infinity });
  assert.equal(params.add("twice", { expr: "big * 2" }).value, Infinity);
  // A value that later makes a constraint fail is reported when the constraint is evaluated.
  params.get("a")!.value = 2;
  params.add("inv", { expr: "1 / a" });
  params.get("a")!.value = 0;
  assert.throws(
    () => params.get("inv")!.value,
    /Parameter 'inv': expression "1 \/ a" cannot be evaluated: division by zero/,
  );
});

Deno.test("names on Object.prototype work as parameter names in expressions", () => {
  for (const name of ["constructor", "toString", "hasOwnProperty", "valueOf"]) {
    const params = new Parameters();
    params.add(name, { value: 2 });
    const z = params.add("z", { expr: `${name} * 2` });
    assert.equal(z.value, 4, name);
  }
  // An unknown name that happens to be on Object.prototype is just an unknown name.
  const params = new Parameters();
  assert.throws(() => params.add("z", { expr: "toString * 2" }), (e: unknown) => {
    const message = (e as Error).message;
    assert.match(message, /uses unknown name 'toString'/);
    assert.doesNotMatch(message, /native code/);
    return true;
  });
  assert.throws(() => params.add("w", { expr: "constructor(2)" }), /unknown name 'constructor'/);
  // __proto__ means something else to JavaScript objects: refused with a plain message.
  assert.throws(
    () => params.add("__proto__", { value: 1 }),
    /'__proto__' cannot be a parameter name here .*choose another name, e\.g\. 'proto_'/,
  );
});

Deno.test("an objective that returns a Promise is an error that says so", async () => {
  const params = new Parameters();
  params.add("a", { value: 1 });
  const asyncResidual = async (p: Parameters) => {
    await Promise.resolve();
    return [p.get("a")!.value - 2];
  };
  await assert.rejects(
    () => minimize(asyncResidual as never, params),
    /the objective function returned a Promise \(is it async\?\)/,
  );
});

Deno.test("an async model function is an error that names the Promise", async () => {
  const model = new Model(
    // deno-lint-ignore require-await
    (async (x: Float64Array, p: Record<string, number>) => x.map((v) => p.a * v)) as never,
    { paramNames: ["a"], name: "slow" },
  );
  await assert.rejects(
    () => model.fit([1, 2], model.makeParams({ a: 1 }), { x: [1, 2] }),
    /Model\(slow\): the model function returned a Promise \(is it async\?\)/,
  );
});
