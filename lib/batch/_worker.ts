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
  /** Only the statistics, at `problem.start` (no fit). */
  statsOnly: boolean;
}

self.onmessage = (e: MessageEvent<WorkerTask>) => {
  const { expression, paramNames, independentVars, problem, settings, statsOnly } = e.data;
  const slotNames = [...paramNames, ...independentVars];
  const bind = (name: string): Binding | undefined => {
    const i = slotNames.indexOf(name);
    return i < 0 ? undefined : { kind: "slot", index: i };
  };
  const kernel = compileMany(
    [expression, ...paramNames.map((n) => derivative(expression, n))],
    bind,
  );
  const out: BatchLmOutput = statsOnly
    ? {
      values: problem.start,
      chisqr: new Float64Array(problem.nFits),
      nIter: new Int32Array(problem.nFits),
      statusCode: new Int32Array(problem.nFits),
    }
    : batchLevenbergMarquardt(problem, kernel, settings);
  const stats = batchStatistics(problem, kernel, out.values);
  // The problem is this worker's share: every array is the reply as it is, moved back.
  const reply: BatchFitArrays = {
    values: out.values,
    chisqr: stats.chisqr,
    nIter: out.nIter,
    statusCode: out.statusCode,
    stderr: stats.stderr,
    correl: stats.correl,
  };
  (self as unknown as Worker).postMessage(
    reply,
    [reply.values, reply.chisqr, reply.nIter, reply.statusCode, reply.stderr, reply.correl].map((
      a,
    ) => a.buffer),
  );
};
