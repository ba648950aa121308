/**
 * The expression language: one small, safe, Python-syntax language for constraints and models,
 * parsed once to an AST that is compiled, differentiated, printed and (in `gpu/`) emitted as WGSL.
 *
 * @module
 */

export type * from "./ast.ts";
export { ExprSyntaxError, MAX_DEPTH, MAX_SOURCE_LENGTH, MAX_TREE_DEPTH, parse } from "./parser.ts";
export { calledFunctions, freeNames } from "./names.ts";
export {
  BUILTIN_CONSTANTS,
  BUILTIN_FUNCTIONS,
  fsum,
  RESERVED_NAMES,
  type Value,
} from "./builtins.ts";
export {
  type Binding,
  compile,
  type CompiledExpr,
  type CompileOptions,
  compileValue,
  ExprNameError,
} from "./compile.ts";
export { ArithmeticError } from "./ops.ts";
export {
  compileLoop,
  compileMany,
  type LoopKernel,
  LoopMemo,
  type MultiKernel,
} from "./codegen.ts";
export { fastCos, fastExp, fastSin, fastSinCos } from "./fast_math.ts";
export { derivative, simplify } from "./derivative.ts";
export { print } from "./printer.ts";
export { createInterner, structurallyEqual } from "./equal.ts";
