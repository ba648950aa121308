/**
 * Start values, bounds and vary flags of `fitBatch` from lmfit `Parameters`: constrained model
 * parameters (`expr`) are substituted into the model expression, so the batch fits only the
 * independent ones and the constraint holds in every fit; constrained parameters outside the
 * model (`fwhm`, `height` of the built-in peaks) are derived quantities, evaluated per fit.
 *
 * @module
 */

import type { Node } from "../expr/ast.ts";
import { parse } from "../expr/parser.ts";
import { freeNames, mapChildren } from "../expr/names.ts";
import type { Parameters } from "../parameters.ts";
import type { BatchModelSpec } from "../model/expression_model.ts";

/** What `Parameters` become for the batch. */
export interface ResolvedParameters {
  /** The model with constrained parameters substituted; its parameter names are the fitted ones. */
  spec: BatchModelSpec;
  /** Start value, bounds and vary flag of each of `spec.paramNames`. */
  value: Float64Array;
  lower: Float64Array;
  upper: Float64Array;
  free: Uint8Array;
  /** Constrained parameters (of the model or not), in dependency order, as ASTs over `spec.paramNames`. */
  derived: { name: string; ast: Node }[];
}

function substitute(node: Node, map: Map<string, Node>): Node {
  if (node.type === "Name") return map.get(node.id) ?? node;
  return mapChildren(node, (c) => substitute(c, map));
}

/**
 * Resolves `params` against the model `spec`: every model parameter must be in `params`;
 * constraint expressions may use only parameters and the expression language's built-ins.
 */
export function resolveParameters(spec: BatchModelSpec, params: Parameters): ResolvedParameters {
  const exprOf = new Map<string, Node>();
  for (const [name, p] of params) if (p.expr !== null) exprOf.set(name, parse(p.expr));
  for (const n of spec.paramNames) {
    if (!params.has(n)) {
      throw new TypeError(
        `fitBatch: params (a Parameters) lacks the model parameter '${n}'; the model has ${
          spec.paramNames.join(", ")
        } (model.makeParams() makes them all)`,
      );
    }
  }
  const model = new Set(spec.paramNames);
  for (const [name, p] of params) {
    if (!model.has(name) && p.expr === null) {
      throw new TypeError(
        `fitBatch: parameter '${name}' is not in the model (${
          spec.paramNames.join(", ")
        }) and has no constraint expression; delete it from params`,
      );
    }
  }
  // Resolve each constrained parameter to an AST over unconstrained model parameters.
  const resolved = new Map<string, Node>();
  const visiting = new Set<string>();
  const order: string[] = [];
  const resolve = (name: string): Node => {
    const hit = resolved.get(name);
    if (hit) return hit;
    if (visiting.has(name)) {
      throw new TypeError(`fitBatch: constraint expressions of params are circular at '${name}'`);
    }
    visiting.add(name);
    const ast = exprOf.get(name)!;
    const map = new Map<string, Node>();
    for (const ref of freeNames(ast)) {
      if (!params.has(ref)) continue; // a built-in constant; unknown names fail when compiled
      if (exprOf.has(ref)) map.set(ref, resolve(ref));
      else if (!model.has(ref)) {
        throw new TypeError(
          `fitBatch: constraint of '${name}' uses '${ref}', which is not a model parameter`,
        );
      }
    }
    const out = map.size ? substitute(ast, map) : ast;
    visiting.delete(name);
    resolved.set(name, out);
    order.push(name);
    return out;
  };
  for (const name of exprOf.keys()) resolve(name);
  const fitted = spec.paramNames.filter((n) => !exprOf.has(n));
  const inModel = new Map([...resolved].filter(([n]) => model.has(n)));
  const expression = inModel.size ? substitute(spec.expression, inModel) : spec.expression;
  const P = fitted.length;
  const value = new Float64Array(P), lower = new Float64Array(P), upper = new Float64Array(P);
  const free = new Uint8Array(P);
  fitted.forEach((n, k) => {
    const p = params.get(n)!;
    if (!Number.isFinite(p.value)) {
      throw new TypeError(`fitBatch: parameter '${n}' has no finite start value (${p.value})`);
    }
    value[k] = p.value;
    lower[k] = p.min;
    upper[k] = p.max;
    free[k] = p.vary ? 1 : 0;
  });
  return {
    spec: { expression, paramNames: fitted, independentVars: spec.independentVars },
    value,
    lower,
    upper,
    free,
    derived: order.map((name) => ({ name, ast: resolved.get(name)! })),
  };
}
