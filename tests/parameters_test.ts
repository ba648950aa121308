import assert from "node:assert/strict";
import { minimize, Model, Parameter, ParameterError, Parameters } from "../mod.ts";

Deno.test("add with options keeps insertion order and lmfit defaults", () => {
  const params = new Parameters();
  params.add("amp", { value: 10, min: 0 });
  params.add("decay", { value: 0.1 });
  params.add("shift", { value: 0.0, min: -Math.PI / 2, max: Math.PI / 2 });
  params.add("omega", { value: 3.0, vary: true });
  assert.deepEqual([...params.keys()], ["amp", "decay", "shift", "omega"]);
  const amp = params.get("amp")!;
  assert.equal(amp.min, 0);
  assert.equal(amp.max, Infinity);
  assert.equal(amp.vary, true);
  assert.equal(amp.expr, null);
  assert.equal(amp.stderr, null);
  assert.equal(amp.correl, null);
  assert.equal(params.size, 4);
});

Deno.test("constraint expressions are evaluated and stay current after changes", () => {
  const params = new Parameters();
  params.add("amp", { value: 10, min: 0 });
  params.add("half", { expr: "amp / 2" });
  assert.equal(params.get("half")!.value, 5);
  assert.equal(params.get("half")!.vary, false);
  params.get("amp")!.value = 7;
  assert.equal(params.get("half")!.value, 3.5);
  params.get("amp")!.set({ value: 9 });
  assert.deepEqual(params.valuesdict(), { amp: 9, half: 4.5 });
});

Deno.test("addMany takes the seeds' tuple order and allows forward references", () => {
  const params = new Parameters();
  params.addMany(
    ["a2", null, false, null, null, "2*a1/3"],
    ["a1", 10, true, null, null, null],
    ["b", 1, false, -5, 5, null, 0.5],
  );
  assert.equal(params.get("a2")!.value, 20 / 3);
  assert.equal(params.get("a1")!.vary, true);
  assert.equal(params.get("b")!.vary, false);
  assert.equal(params.get("b")!.bruteStep, 0.5);
  assert.equal(params.get("b")!.min, -5);
});

Deno.test("chained constraints are evaluated in dependency order", () => {
  const params = new Parameters();
  // A single add that names an unknown parameter fails and adds nothing.
  assert.throws(() => params.add("c", { expr: "b + 1" }), /unknown name 'b'/);
  assert.equal(params.has("c"), false);
  params.addMany(["d", null, null, null, null, "c * 2"], ["c", null, null, null, null, "b + 1"], [
    "b",
    null,
    null,
    null,
    null,
    "a ** 2",
  ], ["a", 3]);
  assert.equal(params.get("d")!.value, 20);
});

Deno.test("a value outside its bounds is clipped, as lmfit does", () => {
  const p = new Parameter("x", { value: 12, min: 0, max: 10 });
  assert.equal(p.value, 10);
  p.value = -3;
  assert.equal(p.value, 0);
  p.set({ max: 20, value: 15 });
  assert.equal(p.value, 15);
  p.set({ max: 12 });
  assert.equal(p.value, 12, "tightening a bound clips the value");
});

Deno.test("invalid definitions fail with errors that name the parameter and the fix", () => {
  const params = new Parameters();
  assert.throws(() => params.add("1abc", { value: 1 }), /not a valid parameter name/);
  params.add("x", { value: 1 });
  assert.throws(() => params.add("lambda", { value: 1 }), /reserved name/);
  assert.throws(() => params.add("print", { value: 1 }), /reserved name/);
  assert.throws(() => params.get("x")!.set({ min: 5, max: 2 }), (e: unknown) => {
    assert.ok(e instanceof ParameterError);
    assert.equal(e.parameter, "x");
    assert.match(e.message, /min \(5\) > max \(2\)/);
    return true;
  });
  params.delete("x");
  assert.throws(() => params.add("a", { value: 1, min: 2, max: 2 }), /min == max/);
  assert.throws(
    () => params.add("h", { expr: "amp * foo + bar" }),
    /unknown names 'amp', 'foo', 'bar'/,
  );
  assert.throws(() => params.add("h", { expr: "amp *" }), /Parameter 'h': invalid expression/);
  assert.equal(params.size, 0, "nothing was added by failed calls");
});

Deno.test("dependency cycles are reported with the cycle spelled out", () => {
  const params = new Parameters();
  params.add("a", { value: 1 });
  params.add("b", { expr: "a + 1" });
  assert.throws(() => params.get("a")!.set({ expr: "b * 2" }), /cycle: a -> b -> a/);
  // The failed set left everything as it was.
  assert.equal(params.get("a")!.expr, null);
  assert.equal(params.get("a")!.value, 1);
  assert.equal(params.get("b")!.value, 2);
  assert.throws(
    () =>
      params.addMany(["p", null, null, null, null, "q"], ["q", null, null, null, null, "r"], [
        "r",
        null,
        null,
        null,
        null,
        "p",
      ]),
    /cycle: (p -> q -> r -> p|q -> r -> p -> q|r -> p -> q -> r)/,
  );
  assert.equal(params.has("p"), false);
});

Deno.test("setting a value or vary=true removes the expression; expr params never vary", () => {
  const params = new Parameters();
  params.add("a", { value: 2 });
  params.add("b", { expr: "a * 3", vary: true });
  assert.equal(params.get("b")!.vary, false, "a parameter with expr never varies");
  params.get("b")!.set({ vary: true });
  assert.equal(params.get("b")!.expr, null);
  assert.equal(params.get("b")!.vary, true);
  assert.equal(params.get("b")!.value, 6, "keeps the last evaluated value");
  params.get("b")!.set({ expr: "a + 1" });
  assert.equal(params.get("b")!.value, 3);
  params.get("b")!.set({ value: 10 });
  assert.equal(params.get("b")!.expr, null);
  assert.equal(params.get("b")!.value, 10);
});

Deno.test("constraint values are clipped to the constrained parameter's bounds", () => {
  const params = new Parameters();
  params.add("a", { value: 2 });
  params.add("b", { expr: "a * 10", max: 5 });
  assert.equal(params.get("b")!.value, 5);
});

Deno.test("copy is deep: changing the copy leaves the original alone", () => {
  const params = new Parameters();
  params.add("a", { value: 2, min: 0 });
  params.add("b", { expr: "a ** 2" });
  params.symtable.set("k", 3);
  const c = params.copy();
  c.get("a")!.value = 5;
  c.symtable.set("k", 4);
  assert.equal(c.get("b")!.value, 25);
  assert.equal(params.get("a")!.value, 2);
  assert.equal(params.get("b")!.value, 4);
  assert.equal(params.symtable.get("k"), 3);
});

Deno.test("user symbols (values and functions) are usable in expressions", () => {
  const params = new Parameters();
  params.symtable.set("scale", 2.5);
  params.symtable.set("sq", (v) => (v as number) ** 2);
  params.add("a", { value: 3 });
  params.add("b", { expr: "scale * sq(a)" });
  assert.equal(params.get("b")!.value, 22.5);
  params.symtable.set("scale", 1);
  assert.equal(params.get("b")!.value, 9, "changing a symbol re-evaluates constraints");
});

Deno.test("dumps/loads round-trips parameters and user symbols", () => {
  const params = new Parameters();
  params.symtable.set("k", 2);
  params.symtable.set("tbl", [1, 2, 3]);
  params.symtable.set("twice", (v) => 2 * (v as number));
  params.add("amp", { value: 10, min: 0, bruteStep: 0.5 });
  params.add("cen", { value: -1, min: -Infinity, max: 3, vary: false });
  params.add("half", { expr: "twice(amp) / 4 + k" });
  params.get("amp")!.stderr = 0.25;
  params.get("amp")!.userData = { note: "peak" };
  const text = params.dumps();
  // lmfit's layout: Python's json writes infinities as bare Infinity, which JSON.parse refuses.
  assert.match(text, /^\{"unique_symbols":/);
  assert.throws(() => new Parameters().loads(text), /user function 'twice' is not serialisable/);
  const back = new Parameters().loads(text, { functions: { twice: (v) => 2 * (v as number) } });
  assert.deepEqual(back.valuesdict(), params.valuesdict());
  assert.equal(back.get("amp")!.min, 0);
  assert.equal(back.get("amp")!.max, Infinity);
  assert.equal(back.get("amp")!.bruteStep, 0.5);
  assert.equal(back.get("amp")!.stderr, 0.25);
  assert.deepEqual(back.get("amp")!.userData, { note: "peak" });
  assert.equal(back.get("cen")!.vary, false);
  assert.equal(back.get("half")!.expr, "twice(amp) / 4 + k");
  assert.deepEqual(back.symtable.get("tbl"), [1, 2, 3]);
});

Deno.test("prettyTable lists every parameter in a table", () => {
  const params = new Parameters();
  params.add("amp", { value: 10, min: 0 });
  params.add("half", { expr: "amp / 2" });
  const text = params.prettyTable();
  const lines = text.split("\n");
  assert.match(lines[0], /^Name\s+Value\s+Min\s+Max\s+Stderr\s+Vary\s+Expr\s+Brute_Step$/);
  assert.match(lines[1], /^amp\s+10\s+0\s+inf\s+None\s+True\s+None\s+None$/);
  assert.match(lines[2], /^half\s+5\s+-inf\s+inf\s+None\s+False\s+amp \/ 2\s+None$/);
});

Deno.test("delete refuses while an expression still uses the parameter", () => {
  const params = new Parameters();
  params.add("a", { value: 1 });
  params.add("b", { expr: "a + 1" });
  assert.throws(() => params.delete("a"), /expression of 'b'/);
  assert.equal(params.delete("b"), true);
  assert.equal(params.delete("a"), true);
  assert.equal(params.size, 0);
});

Deno.test("a parameter without a value holds -inf as lmfit's, clipped to a lower bound", () => {
  assert.equal(new Parameter("a").value, -Infinity);
  assert.equal(new Parameter("a", { min: -10 }).value, -10);
  assert.equal(new Parameter("a", { max: 10 }).value, -Infinity);
  const params = new Parameters();
  params.add("a");
  assert.equal(params.get("a")!.value, -Infinity);
});

Deno.test("a fit refuses a varied parameter without a finite value, naming it", async () => {
  const params = new Parameters();
  params.add("amp", { value: 2 });
  params.add("off");
  const x = [0, 1, 2, 3];
  const residual = (p: Parameters) => {
    const { amp, off } = p.valuesdict();
    return x.map((v) => amp * v + off - 2 * v);
  };
  await assert.rejects(
    async () => await minimize(residual, params),
    /Parameter 'off' has no finite starting value \(-Infinity\)/,
  );
  const model = new Model((x: number, a: number, b: number) => a * x + b);
  await assert.rejects(
    async () => await model.fit([1, 2, 3], model.makeParams({ a: 1 }), { x: [0, 1, 2] }),
    /Parameter 'b' has no finite starting value/,
  );
});

Deno.test("a constraint set at construction keeps vary until the parameter joins a collection", () => {
  const p = new Parameter("b", { expr: "2 * a" });
  assert.equal(p.vary, true);
  const params = new Parameters();
  params.add("a", { value: 3 });
  params.add(p);
  assert.equal(params.get("b")!.vary, false);
  assert.equal(params.get("b")!.value, 6);
  assert.equal(params.add("c", { expr: "a", vary: true }).vary, false);
  assert.equal(new Parameter("d", { value: 1 }).set({ expr: "a" }).vary, false);
});

Deno.test("assigning null to min or max removes the bound, as lmfit's None", () => {
  const p = new Parameter("a", { value: 1, min: 0, max: 5 });
  p.min = null;
  assert.equal(p.min, -Infinity);
  p.max = null;
  assert.equal(p.max, Infinity);
  p.set({ min: 0, max: 2 });
  p.set({ min: null, max: null }); // in set(), null leaves a bound as it is
  assert.deepEqual([p.min, p.max], [0, 2]);
});

Deno.test("String(parameter) is lmfit's repr, numbers as Python prints floats", () => {
  const p = new Parameter("a", { value: 10, min: -100, max: 100, bruteStep: 5 });
  assert.equal(String(p), "<Parameter 'a', value=10.0, bounds=[-100.0:100.0], brute_step=5.0>");
  p.stderr = 0.12345;
  assert.equal(
    String(p),
    "<Parameter 'a', value=10.0 +/- 0.123, bounds=[-100.0:100.0], brute_step=5.0>",
  );
  assert.equal(
    String(new Parameter("t", { value: 1e-5, min: 1e-6, max: 1e20, vary: false })),
    "<Parameter 't', value=1e-05 (fixed), bounds=[1e-06:1e+20]>",
  );
  const params = new Parameters();
  params.add("x", { value: 2 });
  params.add("y", { expr: "x / 4" });
  assert.equal(
    String(params),
    "Parameters([('x', <Parameter 'x', value=2.0, bounds=[-inf:inf]>), " +
      "('y', <Parameter 'y', value=0.5, bounds=[-inf:inf], expr='x / 4'>)])",
  );
  assert.equal(String(new Parameters()), "Parameters()");
});

Deno.test("add refuses what is not a Parameter or options, naming the value", () => {
  const params = new Parameters();
  const loose = params as unknown as { add(a: unknown, b?: unknown): Parameter };
  assert.throws(() => loose.add(42), /Parameters.add: 42 is not a Parameter or a parameter name/);
  assert.throws(
    () => loose.add("a", "not_a_parameter"),
    /Parameter 'a': options must be an object .*got string 'not_a_parameter'/,
  );
  assert.throws(() => loose.add("a", null), /Parameter 'a': options must be an object.*null/);
  assert.throws(
    () => params.add("a", { valeu: 1 } as never),
    /Parameter 'a': unknown option 'valeu'; did you mean value\?/,
  );
  params.add("b", { value: 1 });
  assert.throws(
    () => params.get("b")!.set({ brute_step: 1 } as never),
    /unknown option 'brute_step'; did you mean bruteStep\?/,
  );
  assert.equal(params.size, 1);
});

Deno.test("prettyRepr, prettyTable and prettyPrint as lmfit's pretty_repr and pretty_print", () => {
  const params = new Parameters();
  params.add("b", { value: 2, min: 0, bruteStep: 0.5 });
  params.add("a", { value: 1e-5 });
  assert.equal(
    params.prettyRepr(),
    "Parameters({\n" +
      "    'b': <Parameter 'b', value=2.0, bounds=[0.0:inf], brute_step=0.5>, \n" +
      "    'a': <Parameter 'a', value=1e-05, bounds=[-inf:inf]>, \n" +
      "    })\n",
  );
  assert.equal(params.prettyRepr({ oneline: true }), String(params));
  // rows sorted by name, as lmfit; fixed-point numbers
  assert.equal(
    params.prettyTable({ fmt: "f", precision: 2, columns: ["value", "bruteStep", "vary"] }),
    "Name     Value Brute_Step     Vary\n" +
      "a      0.00     None     True\n" +
      "b      2.00     0.50     True",
  );
  assert.equal(
    params.prettyTable({ fmt: "G", columns: ["min"], colwidth: 5 }),
    "Name    Min\na   -INF\nb      0",
  );
  const out: string[] = [];
  const log = console.log;
  console.log = (...a: unknown[]) => out.push(a.join(" "));
  try {
    params.prettyPrint({ columns: ["value"] });
    params.prettyPrint({ oneline: true });
  } finally {
    console.log = log;
  }
  assert.deepEqual(out, ["Name     Value\na     1e-05\nb         2", String(params)]);
  assert.throws(() => params.prettyPrint({ onelin: true } as never), /did you mean oneline\?/);
  assert.throws(() => params.prettyRepr({ colwidth: 3 } as never), /unknown option 'colwidth'/);
  assert.throws(() => params.prettyTable({ fmt: "x" as never }), /fmt 'x' is not one of g, e, f/);
  assert.throws(
    () => params.prettyTable({ columns: ["brute_step" as never] }),
    /unknown column 'brute_step'; did you mean bruteStep\?/,
  );
});
