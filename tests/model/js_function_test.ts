/**
 * `new Model(fn)` for plain JavaScript functions of numbers: the translation to the expression
 * language against the function itself (a property test over random arrow functions), the
 * per-point fallback, JavaScript's semantics where Python's differ, two independent variables,
 * and fitBatch on a compiled function (its GPU run is in tests/model/_js_function_gpu.ts, part of
 * the one GPU test module).
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { ExpressionModel, fitBatch, Model } from "../../mod.ts";
import { readJsFunction } from "../../lib/model/js_function.ts";

/** Model values agree with the function's own within 1e-12 relative (equal non-finite values). */
function agrees(a: number, b: number, scale: number): boolean {
  if (a === b || (Number.isNaN(a) && Number.isNaN(b))) return true;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  return Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b), scale) ||
    Math.max(Math.abs(a), Math.abs(b)) < 1e-290;
}

const leaf = fc.oneof(
  fc.constantFrom("x", "a", "b", "c"),
  fc.constantFrom("0.5", "2", "3", "1.25", "(-1.5)", "0", "Math.PI", "Math.E"),
);
const { expr } = fc.letrec<{ expr: string }>((tie) => ({
  expr: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    fc.tuple(
      fc.constantFrom(
        "-",
        "Math.sin",
        "Math.cos",
        "Math.exp",
        "Math.abs",
        "Math.sqrt",
        "Math.log",
        "Math.round",
        "Math.sign",
        "Math.trunc",
        "Math.floor",
        "Math.cbrt",
        "Math.expm1",
        "Math.atan",
        "Math.tanh",
        "!",
      ),
      tie("expr"),
    ).map(([f, e]) => `${f}(${e})`),
    fc.tuple(
      tie("expr"),
      fc.constantFrom("+", "-", "*", "/", "%", "<", ">=", "===", "&&", "||"),
      tie("expr"),
    ).map(([l, op, r]) => `(${l} ${op} ${r})`),
    fc.tuple(tie("expr"), fc.constantFrom("2", "3", "0.5", "(-1)")).map(([l, e]) =>
      `(${l}) ** ${e}`
    ),
    fc.tuple(
      fc.constantFrom("Math.max", "Math.min", "Math.hypot", "Math.atan2"),
      tie("expr"),
      tie("expr"),
    )
      .map(([f, l, r]) => `${f}(${l}, ${r})`),
    fc.tuple(tie("expr"), tie("expr"), tie("expr")).map(([t, l, r]) => `(${t} ? ${l} : ${r})`),
  ),
}));
/** An arrow function with an expression body, or a block with a constant and an if/return. */
const source = fc.oneof(
  expr.map((e) => `(x, a, b, c) => ${e}`),
  fc.tuple(expr, expr, expr).map(([u, t, r]) =>
    `(x, a, b, c) => { const u = ${u}; if (${t}) { return u * a; } return ${r} + u; }`
  ),
);

Deno.test("random arrow functions: the compiled model equals the function to 1e-12, or the fallback is taken", () => {
  const xs = Float64Array.from({ length: 17 }, (_, i) => -3.3 + 0.41 * i);
  let compiled = 0;
  fc.assert(
    fc.property(
      source,
      fc.tuple(
        fc.double({ min: -3, max: 3, noNaN: true }),
        fc.double({ min: 0.1, max: 4, noNaN: true }),
        fc.double({ min: -2, max: 2, noNaN: true }),
      ),
      (src, [a, b, c]) => {
        const fn = new Function(`return ${src}`)() as (...v: number[]) => number;
        const model = new Model(fn);
        assert.deepEqual(model.paramNames, ["a", "b", "c"]);
        assert.equal(typeof model.compileReason, "string");
        const got = model.eval({ a, b, c }, { x: xs });
        if (model.compiled) compiled++;
        // Both routes give the function's values; the compiled one within 1e-12 relative of
        // the largest operand magnitude involved (sums of values near cancellation).
        for (let i = 0; i < xs.length; i++) {
          const want = +fn(xs[i], a, b, c);
          const scale = 1e-3 * Math.max(1, Math.abs(a), Math.abs(b), Math.abs(c), Math.abs(xs[i]));
          assert.ok(
            model.compiled
              ? agrees(got[i], want, scale)
              : Object.is(got[i], want) || got[i] === want,
            `${src} at x=${xs[i]}, a=${a}, b=${b}, c=${c}: ${
              got[i]
            } vs ${want} (${model.compileReason})`,
          );
        }
      },
    ),
    { numRuns: 300, seed: 15 },
  );
  assert.ok(compiled > 200, `only ${compiled} of 300 random functions compiled`);
});

Deno.test("a compiled function of numbers fits with analytic derivatives and few evaluations", async () => {
  // Declared first: its defaults need no type annotation (an inline function's would).
  function gaussian(x: number, amp = 1, cen = 0, wid = 1) {
    return amp * Math.exp(-((x - cen) ** 2) / (2 * wid * wid));
  }
  const model = new Model(gaussian);
  assert.equal(model.compiled, true);
  assert.match(model.compileReason, /compiled/);
  assert.deepEqual(model.paramNames, ["amp", "cen", "wid"]);
  assert.deepEqual(model.defaults, { amp: 1, cen: 0, wid: 1 });
  assert.notEqual(model.analyticJacobian(), null);
  const x = Float64Array.from({ length: 81 }, (_, i) => -4 + i / 10);
  const y = x.map((v) => 3 * Math.exp(-((v - 0.5) ** 2) / (2 * 0.8 * 0.8)));
  const result = await model.fit(y, model.makeParams({ amp: 2, cen: 0.2, wid: 1.2 }), { x });
  assert.ok(Math.abs(result.params.get("cen")!.value - 0.5) < 1e-8);
  assert.ok(Math.abs(result.params.get("wid")!.value - 0.8) < 1e-8);
  // The same fit as the equivalent expression model, evaluation for evaluation.
  const em = new ExpressionModel("amp * exp(-(x - cen)**2 / (2 * wid * wid))");
  const ref = await em.fit(y, em.makeParams({ amp: 2, cen: 0.2, wid: 1.2 }), { x });
  assert.equal(result.nfev, ref.nfev);
});

Deno.test("bodies beyond the subset are called per point, and say why", async () => {
  const k = 2;
  const closure = new Model((x: number, a: number, b: number) => a * k * x + b);
  assert.equal(closure.compiled, false);
  assert.match(closure.compileReason, /uses 'k'/);
  assert.equal(closure.analyticJacobian(), null);
  function powers(x: number, a: number, n = 3) {
    let s = 0;
    for (let i = 1; i <= n; i++) s += a ** i * x;
    return s;
  }
  const loop = new Model(powers);
  assert.equal(loop.compiled, false);
  assert.match(loop.compileReason, /statement|assignment|declared|for/);
  assert.equal(new Model((x: number, a: number) => a * Math.random() * x).compiled, false);
  assert.match(
    new Model((x: number, a: number) => a * (x | 0)).compileReason,
    /operator '\|'/,
  );
  // The fallback fits with difference derivatives.
  const x = Float64Array.from({ length: 30 }, (_, i) => i / 3);
  const y = x.map((v) => 6 * v + 1);
  const result = await closure.fit(y, closure.makeParams({ a: 1, b: 0 }), { x });
  assert.ok(Math.abs(result.params.get("a")!.value - 3) < 1e-7);
  assert.ok(Math.abs(result.params.get("b")!.value - 1) < 1e-6);
  await assert.rejects(
    () => fitBatch(closure, { x, y, params: { a: 1, b: 0 }, device: "cpu" }),
    /uses 'k'/,
  );
});

Deno.test("a translation that disagrees with the function at the sample points is not used", () => {
  // Python's pow gives 1 ** NaN = 1, JavaScript NaN: the check sees the difference.
  const model = new Model((x: number, a: number) => (x === 0 ? 1 : x) ** (a * NaN));
  assert.equal(model.compiled, false);
  assert.match(model.compileReason, /translation gives 1 where the function gives NaN/);
  assert.ok(Number.isNaN(model.eval({ a: 1 }, { x: [0] })[0]));
});

Deno.test("JavaScript semantics: remainder, round, max with NaN, truthiness of numbers", () => {
  const cases: [(x: number, a: number) => number, number[]][] = [
    [(x, a) => (a * x) % 3, [-7, -3.5, -0.5, 0, 2.5, 7]],
    [(x, a) => a * Math.round(x), [-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 0.49999999999999994]],
    [(x, a) => Math.max(a, x, Math.sqrt(x)), [-1, 0, 4]],
    [(x, a) => (Math.log(x) ? a : -a), [-1, 0, 1, 2]],
    [(x, a) => (Math.log(x) || a) + (Math.log(x) && 2 * a), [-1, 0, 1, 2]],
    [(x, a) => Math.sign(x - 1) * a + (!x ? 10 : 0), [-1, 0, 1, 2]],
    [(x, a) => Math.cbrt(x) * Math.expm1(a) + Math.log2(Math.abs(x) + 1), [-8, 0, 27]],
  ];
  for (const [fn, xs] of cases) {
    const model = new Model(fn);
    assert.equal(model.compiled, true, `${fn}: ${model.compileReason}`);
    const got = model.eval({ a: 1.5 }, { x: xs });
    xs.forEach((x, i) => assert.ok(agrees(got[i], fn(x, 1.5), 0), `${fn} at ${x}: ${got[i]}`));
  }
});

Deno.test("signatures: defaults, independent variables, named functions, errors", () => {
  const info = readJsFunction(function decay(t: number, amp = -2.5, tau = 1e3) {
    return amp * Math.exp(-t / tau);
  });
  assert.deepEqual(info.args, ["t", "amp", "tau"]);
  assert.deepEqual(info.defaults, { amp: -2.5, tau: 1000 });
  assert.equal(info.name, "decay");
  assert.notEqual(info.body, null);
  function decay(t: number, amp = 1, tau = 2) {
    return amp * Math.exp(-t / tau);
  }
  const m = new Model(decay);
  assert.deepEqual(m.independentVars, ["t"]);
  assert.equal(m.funcName, "decay");
  assert.equal(m.name, "Model(decay)");
  assert.equal(m.makeParams().get("tau")!.value, 2);
  assert.throws(() => new Model((x: number, ...p: number[]) => x * p[0]), /rest argument/);
  const piDefault = (x: number, a = Math.PI) => x * a;
  assert.throws(() => new Model(piDefault), /number literal/);
  assert.throws(
    () => new Model((x: number, a: number) => a * x, { independentVars: ["t"] }),
    /'t' is not an argument/,
  );
  assert.throws(() => new Model((x: number) => x), /no parameters/);
  assert.throws(
    () => new Model(Math.sin as (x: number) => number),
    /cannot read the function's source/,
  );
  // An argument whose name is an expression-language name is called per point.
  const e = new Model((x: number, e: number) => e * x);
  assert.equal(e.compiled, false);
  assert.match(e.compileReason, /'e' is a name of the expression language/);
});

Deno.test("copy() of a function-of-numbers model keeps its route, prefix and defaults", () => {
  function decay(t: number, amp = 3, tau = 2) {
    return amp * Math.exp(-t / tau);
  }
  const m = new Model(decay, { prefix: "d_" });
  const c = m.copy();
  assert.equal(c.compiled, true);
  assert.deepEqual(c.paramNames, ["d_amp", "d_tau"]);
  assert.equal(c.makeParams().get("d_tau")!.value, 2);
  c.prefix = "e_";
  assert.deepEqual(m.paramNames, ["d_amp", "d_tau"]);
  assert.deepEqual([...c.eval({ e_amp: 1, e_tau: 1 }, { t: [0, 1] })], [1, Math.exp(-1)]);
  const k = 2;
  const per = new Model((x: number, a: number) => a * k * x).copy();
  assert.equal(per.compiled, false);
  assert.deepEqual([...per.eval({ a: 1 }, { x: [3] })], [6]);
});

Deno.test("two independent variables: compiled, fitted, and through fitBatch", async () => {
  const model = new Model(
    (x: number, y: number, a: number, b: number, c: number) => a * x + b * y * y + c,
    { independentVars: ["x", "y"] },
  );
  assert.equal(model.compiled, true);
  assert.deepEqual(model.paramNames, ["a", "b", "c"]);
  const n = 40;
  const x = Float64Array.from({ length: n }, (_, i) => i / 10);
  const y = Float64Array.from({ length: n }, (_, i) => Math.cos(i));
  const data = x.map((v, i) => 2 * v - 0.5 * y[i] * y[i] + 3);
  const result = await model.fit(data, model.makeParams({ a: 1, b: 1, c: 0 }), { x, y });
  assert.ok(Math.abs(result.params.get("b")!.value + 0.5) < 1e-8);
  const batch = await fitBatch(model, {
    vars: { x, y },
    y: Float64Array.from([...data, ...data.map((v) => 2 * v)]),
    params: { a: 1, b: 1, c: 0 },
    device: "cpu",
  });
  assert.ok(Math.abs(batch.get("a")[1] - 4) < 1e-6, `${batch.get("a")}`);
});

Deno.test("fitBatch on a compiled function with a prefix matches the expression model", async () => {
  const model = new Model((x: number, amp: number, tau: number) => amp * Math.exp(-x / tau), {
    prefix: "d_",
  });
  const x = Float64Array.from({ length: 50 }, (_, i) => i / 5);
  const y = Float64Array.from(
    { length: 100 },
    (_, i) => (i < 50 ? 3 : 5) * Math.exp(-x[i % 50] / 2),
  );
  const batch = await fitBatch(model, { x, y, params: { d_amp: 1, d_tau: 1 }, device: "cpu" });
  assert.deepEqual(batch.paramNames, ["d_amp", "d_tau"]);
  assert.ok(Math.abs(batch.get("d_amp")[1] - 5) < 1e-6);
  assert.ok(Math.abs(batch.get("d_tau")[0] - 2) < 1e-6);
});
