/**
 * From a covariance matrix of the varied parameters to `stderr` and `correl` on every
 * parameter, and linear error propagation to constrained (`expr`) parameters through their
 * symbolic derivatives: `σ_e² = gᵀ C g`, `g_j = d e / d v_j` by the chain rule through any
 * constrained parameters the expression uses.
 *
 * @module
 */

import type { Parameters } from "../parameters.ts";
import type { Node } from "../expr/ast.ts";
import { derivative } from "../expr/derivative.ts";
import { freeNames } from "../expr/names.ts";
import { parse } from "../expr/parser.ts";
import { type Binding, compile } from "../expr/compile.ts";
import { bindSymbol } from "../symtable.ts";

/**
 * Sets `stderr` and `correl` of the varied parameters from `covar` (row-major n×n, in the
 * order of `varNames`), and `stderr` of every constrained parameter by linear propagation.
 *
 * @returns whether every varied parameter got a positive, finite standard error.
 */
export function applyCovariance(
  params: Parameters,
  varNames: readonly string[],
  covar: Float64Array,
): boolean {
  const n = varNames.length;
  let ok = true;
  const sd = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    sd[i] = Math.sqrt(covar[i * n + i]);
    if (!(sd[i] > 0) || !Number.isFinite(sd[i])) ok = false;
  }
  for (const p of params.values()) {
    // A fixed parameter is known exactly: stderr 0, as lmfit 1.1.0 reports it.
    p.stderr = !p.vary && p.expr === null ? 0 : null;
    p.correl = null;
  }
  for (let i = 0; i < n; i++) {
    const p = params.get(varNames[i])!;
    p.stderr = sd[i];
    const correl: Record<string, number> = {};
    for (let j = 0; j < n; j++) {
      if (j !== i) correl[varNames[j]] = covar[i * n + j] / (sd[i] * sd[j]);
    }
    p.correl = correl;
  }
  propagateToConstraints(params, varNames, covar);
  return ok;
}

/**
 * Gradients of every constrained parameter with respect to the varied ones, evaluated at the
 * current values: `Map<name, Float64Array(n)>`.
 */
export function constraintGradients(
  params: Parameters,
  varNames: readonly string[],
): Map<string, Float64Array> {
  const program = params.compileConstraints();
  const index = new Map(program.names.map((nm, i) => [nm, i]));
  const varIndex = new Map(varNames.map((nm, i) => [nm, i]));
  const n = varNames.length;
  const slots = Float64Array.from(program.params, (p) => p.value);
  const bind = (name: string): Binding | undefined => bindSymbol(name, index, params.symtable);
  const grads = new Map<string, Float64Array>();
  for (const k of program.exprOrder) {
    const p = program.params[k];
    const ast: Node = parse(p.expr!);
    const g = new Float64Array(n);
    for (const dep of new Set(freeNames(ast))) {
      if (!index.has(dep)) continue;
      const depVar = varIndex.get(dep);
      const depGrad = grads.get(dep);
      if (depVar === undefined && !depGrad) continue; // a fixed parameter
      let partial: number;
      try {
        partial = compile(derivative(ast, dep), bind)(slots);
      } catch {
        partial = NaN; // not differentiable (e.g. uses floor): no propagated error
      }
      if (depVar !== undefined) g[depVar] += partial;
      else for (let j = 0; j < n; j++) g[j] += partial * depGrad![j];
    }
    grads.set(p.name, g);
  }
  return grads;
}

function propagateToConstraints(
  params: Parameters,
  varNames: readonly string[],
  covar: Float64Array,
): void {
  const n = varNames.length;
  for (const [name, g] of constraintGradients(params, varNames)) {
    let s = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) s += g[i] * covar[i * n + j] * g[j];
    }
    params.get(name)!.stderr = Math.sqrt(Math.max(0, s));
  }
}
