/**
 * Constraint updates and minimizer-layer overhead.
 *
 * - 100 chained constraint expressions (p_k = p_{k-1} * 1.0001 + 0.5) re-evaluated after a
 *   change of the independent value: target < 5 µs per full update.
 * - Per-objective-call overhead of the minimizer layer for 10 parameters (bounds transforms,
 *   constraint update, write-back): target < 1 µs; measured against a bare call of the same
 *   objective (the baseline).
 */
import { Parameters } from "../mod.ts";
import { ObjectiveAdapter, prepareContext } from "../lib/fit/objective.ts";

const chain = new Parameters();
chain.add("p0", { value: 1 });
for (let k = 1; k <= 100; k++) chain.add(`p${k}`, { expr: `p${k - 1} * 1.0001 + 0.5` });
const program = chain.compileConstraints();

Deno.bench("constraints: 100 chained expressions, compiled program", {
  group: "constraints",
  baseline: true,
}, () => {
  program.slots[0] += 1e-9;
  program.evaluate();
});

Deno.bench("constraints: 100 chained expressions, updateConstraints() incl. write-back", {
  group: "constraints",
}, () => {
  chain.updateConstraints();
});

const ten = new Parameters();
for (let k = 0; k < 10; k++) {
  ten.add(`v${k}`, {
    value: 1 + k,
    min: k % 3 === 0 ? 0 : -Infinity,
    max: k % 2 === 0 ? 100 : Infinity,
  });
}
ten.add("c", { expr: "v0 + v1" });
const r = new Float64Array(1);
const objective = (_p: Parameters) => r;
const ctx = prepareContext(ten);
const adapter = new ObjectiveAdapter(objective, ctx, {
  args: [],
  nanPolicy: "raise",
  transform: true,
});
const x = new Float64Array(10).fill(0.3);
const out = new Float64Array(1);

Deno.bench("objective call: bare user function", { group: "overhead", baseline: true }, () => {
  objective(ten);
});

Deno.bench("objective call: through the minimizer layer, 10 bounded params + 1 constraint", {
  group: "overhead",
}, () => {
  x[0] += 1e-12;
  adapter.residual(x, out);
});
