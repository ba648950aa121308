/**
 * Whether the expression kernels run in WebAssembly SIMD: where the engine validates a SIMD
 * module (Deno and current browsers do, with no flag), unless a test has forced one route.
 *
 * @module
 */

/** A module whose one function returns `f64x2.splat(1)`: valid only with SIMD support. */
const PROBE = Uint8Array.of(
  0x00,
  0x61,
  0x73,
  0x6d,
  0x01,
  0x00,
  0x00,
  0x00, // magic, version
  0x01,
  0x05,
  0x01,
  0x60,
  0x00,
  0x01,
  0x7b, // type: () → v128
  0x03,
  0x02,
  0x01,
  0x00, // function 0 of type 0
  0x0a,
  0x0f,
  0x01,
  0x0d,
  0x00, // code: one body of 13 bytes, no locals
  0x44,
  0x00,
  0x00,
  0x00,
  0x00,
  0x00,
  0x00,
  0xf0,
  0x3f, // f64.const 1
  0xfd,
  0x14, // f64x2.splat
  0x0b, // end
);

let supported: boolean | undefined;
let forced: boolean | undefined;

/**
 * Whether this engine runs WebAssembly SIMD (`WebAssembly.validate` of a one-instruction
 * module; computed once).
 *
 * @example
 * ```ts
 * import { simdSupported } from "./simd_support.ts";
 * simdSupported(); // true in Deno
 * ```
 */
export function simdSupported(): boolean {
  supported ??= typeof WebAssembly === "object" && WebAssembly.validate(PROBE);
  return supported;
}

/**
 * Whether new expression kernels should use WebAssembly SIMD: support, or what
 * {@link forceSimdKernels} set.
 *
 * @example
 * ```ts
 * import { useSimdKernels } from "./simd_support.ts";
 * useSimdKernels(); // true in Deno
 * ```
 */
export function useSimdKernels(): boolean {
  return forced ?? simdSupported();
}

/**
 * For tests and benchmarks: makes kernels compiled from now on use WebAssembly SIMD (`true`,
 * where supported), the JavaScript kernels (`false`), or decide by support (`undefined`).
 * Returns the previous setting.
 *
 * @example
 * ```ts
 * import { forceSimdKernels, useSimdKernels } from "./simd_support.ts";
 * const previous = forceSimdKernels(false);
 * useSimdKernels(); // false
 * forceSimdKernels(previous);
 * ```
 */
export function forceSimdKernels(on: boolean | undefined): boolean | undefined {
  const previous = forced;
  forced = on === undefined ? undefined : on && simdSupported();
  return previous;
}
