/**
 * Web Worker of the CPU batch path: compiles the model kernel from the AST it receives and fits
 * its share of the datasets with the batched LM.
 *
 * @module
 */

import type { Node } from "../expr/ast.ts";
import { derivative } from "../expr/derivative.ts";
import { compileMany } from "../expr/codegen.ts";
import type { Binding } from "../expr/compile.ts";
import { batchLevenbergMarquardt, type BatchLmSettings, type BatchProblem } from "./batch_lm.ts";

/** The message a worker receives. */
export interface WorkerTask {
  expression: Node;
  paramNames: string[];
  independentVars: string[];
  problem: BatchProblem;
  settings: BatchLmSettings;
  first: number;
  last: number;
}

self.onmessage = (e: MessageEvent<WorkerTask>) => {
  const { expression, paramNames, independentVars, problem, settings, first, last } = e.data;
  const slotNames = [...paramNames, ...independentVars];
  const bind = (name: string): Binding | undefined => {
    const i = slotNames.indexOf(name);
    return i < 0 ? undefined : { kind: "slot", index: i };
  };
  const kernel = compileMany(
    [expression, ...paramNames.map((n) => derivative(expression, n))],
    bind,
  );
  const out = batchLevenbergMarquardt(problem, kernel, settings, first, last);
  const P = paramNames.length;
  const values = out.values.slice(first * P, last * P);
  const chisqr = out.chisqr.slice(first, last);
  const nIter = out.nIter.slice(first, last);
  const status = out.status.slice(first, last);
  (self as unknown as Worker).postMessage({ values, chisqr, nIter, status }, [
    values.buffer,
    chisqr.buffer,
    nIter.buffer,
    status.buffer,
  ]);
};
