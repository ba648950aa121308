/**
 * Issue 14: the bound on the loop iterations of one invocation of fitLarge's reduction kernel
 * (gpu/reduce_kernel.wgsl.ts), by which the host sizes chunks under llvmpipe's loop limit
 * (`SOFTWARE_LOOP_LIMIT`). The GPU side (the bound holds on the driver, and a fit forced to many
 * points per invocation agrees with the CPU) is in tests/gpu/_large_loop_limit.ts.
 */
import assert from "node:assert/strict";
import {
  REDUCE_WORKGROUP,
  reduceKernelWgsl,
  reduceLoopIterations,
  reducePointsPerInvocation,
  reduceTerms,
} from "../../gpu/reduce_kernel.wgsl.ts";
import { SOFTWARE_LOOP_LIMIT } from "../../gpu/_lm_wgsl_parts.ts";
import { emitWgsl } from "../../gpu/wgsl_codegen.ts";
import { parse } from "../../lib/expr/parser.ts";
import { derivative } from "../../lib/expr/derivative.ts";

Deno.test("the bound counts every loop of the reduction kernel", () => {
  const expr = parse("a*exp(-x/tau) + c");
  const names = { a: "p[0]", tau: "p[1]", c: "p[2]", x: "xv[0]" };
  const model = emitWgsl([expr, ...["a", "tau", "c"].map((p) => derivative(expr, p))], names);
  const src = reduceKernelWgsl({ P: 3, nVars: 1, weighted: true, model });
  // The loops the bound counts: parameter load, points, gradient, normal matrix, Kahan sums,
  // workgroup terms, halvings. A new loop must be counted in reduceLoopIterations too.
  assert.equal(src.match(/\bfor\s*\(/g)?.length, 7);
  assert.doesNotMatch(src, /\b(loop|while)\b/);
  // By hand for P = 3 (K = 10 terms, 64 invocations, 6 halvings), each loop's exit test counted:
  // load 4; points n + 1, each with gradient 4, normal matrix 2 + 3 + 4, Kahan 11; terms 11,
  // halvings 10 × 7.
  assert.equal(REDUCE_WORKGROUP, 64);
  assert.equal(reduceTerms(3), 10);
  for (const n of [0, 1, 1000]) {
    assert.equal(reduceLoopIterations(3, n), 4 + (n + 1) + n * (4 + 9 + 11) + 11 + 70);
  }
});

Deno.test("points per invocation stay under llvmpipe's loop limit, and no more fit", () => {
  for (let P = 1; P <= 40; P++) {
    const n = reducePointsPerInvocation(P);
    assert.ok(n >= 1, `P=${P}`);
    assert.ok(reduceLoopIterations(P, n) < SOFTWARE_LOOP_LIMIT, `P=${P}: ${n} points fit`);
    assert.ok(reduceLoopIterations(P, n + 1) >= SOFTWARE_LOOP_LIMIT, `P=${P}: ${n + 1} do not`);
  }
  // The estimate of issue 14: 7 parameters, about 1,000 points per invocation, went over.
  assert.equal(reducePointsPerInvocation(7), 805);
  assert.ok(reduceLoopIterations(7, 1000) > SOFTWARE_LOOP_LIMIT);
  // A budget of fewer iterations than the fixed part fits no point at all.
  assert.equal(reducePointsPerInvocation(3, reduceLoopIterations(3, 0)), 0);
  assert.equal(reducePointsPerInvocation(200), 0);
});
