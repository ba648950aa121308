import { ExpressionModel, Model } from "./mod.ts";
import { loadFixture } from "./tests/_fixtures.ts";
const seed = loadFixture("seed_fits.json");
const x = Float64Array.from(seed.sine.x as number[]);
const data = Float64Array.from(seed.sine.data as number[]);
const em = new ExpressionModel("amp*sin(shift + x/period)*exp(-x*x*decay*decay)");
const fm = new Model((x: number, amp: number, period: number, shift: number, decay: number) =>
  amp * Math.sin(shift + x / period) * Math.exp(-x * x * decay * decay));
const pe = em.makeParams({ amp: 13, period: 2, shift: 0, decay: 0.02 });
const pf = fm.makeParams({ amp: 13, period: 2, shift: 0, decay: 0.02 });
async function best(model: any, p: any, n = 30) {
  let b = Infinity, nfev = 0;
  for (let i = 0; i < n; i++) { const t0 = performance.now(); const r = await model.fit(data, p, { x }); b = Math.min(b, performance.now() - t0); nfev = r.nfev; }
  return [b.toFixed(2), nfev];
}
for (let k = 0; k < 3; k++) console.log("expr", await best(em, pe), "fn", await best(fm, pf));
// kernel cost
const jac = em.analyticJacobian()!;
const value = new Float64Array(x.length), J = new Float64Array(x.length * 4);
const vals = { amp: 13, period: 2, shift: 0, decay: 0.02 };
let t0 = performance.now();
for (let i = 0; i < 1000; i++) jac.evaluate({ x }, vals, value, J);
console.log("fused value+jac per eval µs", ((performance.now() - t0)).toFixed(1));
