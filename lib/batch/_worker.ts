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
import {
  type BatchFitArrays,
  batchLevenbergMarquardt,
  type BatchLmOutput,
  type BatchLmSettings,
  type BatchProblem,
  batchStatistics,
} from "./batch_lm.ts";

/** The message a worker receives. */
export interface WorkerTask {
  expression: Node;
  paramNames: string[];
  independentVars: string[];
  problem: BatchProblem;
  settings: BatchLmSettings;
  first: number;
  last: number;
  /** Only the statistics, at `problem.start` (no fit). */
  statsOnly: boolean;
}

self.onmessage = (e: MessageEvent<WorkerTask>) => {
  const { expression, paramNames, independentVars, problem, settings, first, last, statsOnly } =
    e.data;
  const slotNames = [...paramNames, ...independentVars];
  const bind = (name: string): Binding | undefined => {
    const i = slotNames.indexOf(name);
    return i < 0 ? undefined : { kind: "slot", index: i };
  };
  const kernel = compileMany(
    [expression, ...paramNames.map((n) => derivative(expression, n))],
    bind,
  );
  const P = paramNames.length;
  const out: BatchLmOutput = statsOnly
    ? {
      values: problem.start,
      chisqr: new Float64Array(problem.nFits),
      nIter: new Int32Array(problem.nFits),
      status: new Int32Array(problem.nFits),
    }
    : batchLevenbergMarquardt(problem, kernel, settings, first, last);
  const stats = batchStatistics(problem, kernel, out.values, first, last);
  const reply: BatchFitArrays = {
    values: out.values.slice(first * P, last * P),
    chisqr: stats.chisqr.slice(first, last),
    nIter: out.nIter.slice(first, last),
    status: out.status.slice(first, last),
    stderr: stats.stderr.slice(first * P, last * P),
    correl: stats.correl.slice(
      first * (stats.correl.length / problem.nFits),
      last * (stats.correl.length / problem.nFits),
    ),
  };
  (self as unknown as Worker).postMessage(
    reply,
    [reply.values, reply.chisqr, reply.nIter, reply.status, reply.stderr, reply.correl].map((a) =>
      a.buffer
    ),
  );
};
