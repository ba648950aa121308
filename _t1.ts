import { Model, fitBatch } from "/work/wt/speed/mod.ts";
const g = new Model((x: number, amp = 1, cen = 0, wid = 1) => amp * Math.exp(-((x - cen) ** 2) / (2 * wid * wid)));
console.log(g.paramNames, g.compiled, g.compileReason, g.defaults);
const x = Float64Array.from({ length: 41 }, (_, i) => -4 + i / 5);
const y = g.eval({ amp: 3, cen: 0.5, wid: 0.8 }, { x });
const r = await g.fit(y, g.makeParams({ amp: 1, cen: 0, wid: 1 }), { x });
console.log(r.params.get("cen")!.value, r.nfev);
const k = 2;
const h = new Model((x: number, a: number, b: number) => a * k * x + b);
console.log(h.compiled, h.compileReason);
const r2 = await h.fit(x.map((v) => 3 * v + 1), h.makeParams({ a: 1, b: 0 }), { x });
console.log(r2.params.get("a")!.value, r2.nfev);
const m = new Model(function step(t: number, a: number, tau: number) {
  const u = t / tau;
  if (t < 0) return 0;
  let v = a * Math.exp(-u);
  return v % 7 + Math.round(u) * 0 + Math.sign(a) * Math.max(u, 0) * 0;
});
console.log(m.compiled, m.compileReason, m.independentVars);
const two = new Model((x: number, y: number, a: number, b: number) => a * x + b * y, { independentVars: ["x", "y"] });
console.log(two.compiled, two.paramNames);
try { new Model((x, p) => (x as any).map((v: number) => v * (p as any).a)); } catch (e) { console.log((e as Error).message); }
const bf = await fitBatch(g, { x, y: [y, y.map((v) => v * 2)], params: g.makeParams({ amp: 1, cen: 0, wid: 1 }), device: "cpu" });
console.log(bf.values ? Object.keys(bf) : bf);
