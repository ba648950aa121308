/**
 * A minimal WebAssembly binary writer: LEB128 integers, a function-body builder with the
 * scalar and SIMD (`v128`, f64x2) instructions the expression kernels use, and a module
 * encoder for the one shape they need (imported functions, one defined function exported as
 * `run`, one exported memory). Section layout and opcodes follow the WebAssembly 2.0 core
 * specification (binary format, chapter 5; SIMD opcodes under the `0xFD` prefix).
 *
 * @module
 */

/** Value types: i32, i64, f64 and v128. */
export const I32 = 0x7f, I64 = 0x7e, F64 = 0x7c, V128 = 0x7b;

/**
 * Unsigned LEB128 of a non-negative integer below 2^32, appended to `out`.
 *
 * @example
 * ```ts
 * import { uleb } from "./binary.ts";
 * const out: number[] = [];
 * uleb(out, 624485); // out = [0xe5, 0x8e, 0x26]
 * ```
 */
export function uleb(out: number[], value: number): void {
  let v = value >>> 0;
  do {
    const byte = v & 0x7f;
    v >>>= 7;
    out.push(v === 0 ? byte : byte | 0x80);
  } while (v !== 0);
}

/**
 * Signed LEB128 of a 32-bit integer, appended to `out`.
 *
 * @example
 * ```ts
 * import { sleb } from "./binary.ts";
 * const out: number[] = [];
 * sleb(out, -123456); // out = [0xc0, 0xbb, 0x78]
 * ```
 */
export function sleb(out: number[], value: number): void {
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return;
  }
}

const scratch = new DataView(new ArrayBuffer(8));

/** SIMD opcodes used here (after the 0xFD prefix). */
export const Simd = Object.freeze({
  load: 0x00,
  load64Splat: 0x0a,
  store: 0x0b,
  const: 0x0c,
  f64x2ExtractLane: 0x21,
  f64x2ReplaceLane: 0x22,
  f64x2Eq: 0x47,
  f64x2Lt: 0x49,
  f64x2Gt: 0x4a,
  f64x2Ge: 0x4c,
  not: 0x4d,
  and: 0x4e,
  andnot: 0x4f,
  or: 0x50,
  xor: 0x51,
  bitselect: 0x52,
  anyTrue: 0x53,
  i64x2Shl: 0xcb,
  i64x2ShrS: 0xcc,
  i64x2ShrU: 0xcd,
  i64x2Add: 0xce,
  i64x2Sub: 0xd1,
  i64x2LtS: 0xd8,
  i64x2GtS: 0xd9,
  f64x2Abs: 0xec,
  f64x2Neg: 0xed,
  f64x2Sqrt: 0xef,
  f64x2Add: 0xf0,
  f64x2Sub: 0xf1,
  f64x2Mul: 0xf2,
  f64x2Div: 0xf3,
});

/**
 * A function body under construction: declared locals and the instruction bytes. Parameters
 * take the first local indices.
 *
 * @example
 * ```ts
 * import { Code, I32 } from "./binary.ts";
 * const code = new Code([I32]);
 * code.get(0).i32Const(1).op(0x6a); // local.get 0; i32.const 1; i32.add
 * ```
 */
export class Code {
  /** Instruction bytes (without the final `end`). */
  readonly bytes: number[] = [];
  /** Parameter types, then the types of declared locals. */
  readonly types: number[];
  /** Parameter types. */
  readonly params: readonly number[];

  constructor(params: readonly number[]) {
    this.types = [...params];
    this.params = [...params];
  }

  /** Declares a local of `type` and returns its index. */
  local(type: number): number {
    this.types.push(type);
    return this.types.length - 1;
  }

  /** Appends raw bytes (an opcode and its immediates). */
  op(...bytes: number[]): this {
    for (const b of bytes) this.bytes.push(b);
    return this;
  }

  /** A SIMD instruction without immediates. */
  simd(opcode: number): this {
    this.bytes.push(0xfd);
    uleb(this.bytes, opcode);
    return this;
  }

  /** `local.get`. */
  get(index: number): this {
    this.bytes.push(0x20);
    uleb(this.bytes, index);
    return this;
  }

  /** `local.set`. */
  set(index: number): this {
    this.bytes.push(0x21);
    uleb(this.bytes, index);
    return this;
  }

  /** `i32.const`. */
  i32Const(value: number): this {
    this.bytes.push(0x41);
    sleb(this.bytes, value);
    return this;
  }

  /** Where set, `f64x2Const` reads the local this returns for the value instead. */
  constants: ((value: number) => number) | null = null;

  /** `v128.const` with both f64 lanes `value`. */
  f64x2Const(value: number): this {
    if (this.constants) return this.get(this.constants(value));
    this.simd(Simd.const);
    scratch.setFloat64(0, value, true);
    for (let lane = 0; lane < 2; lane++) {
      for (let b = 0; b < 8; b++) this.bytes.push(scratch.getUint8(b));
    }
    return this;
  }

  /** `v128.const` with both i64 lanes `value` (an integer, exact as a double). */
  i64x2Const(value: number): this {
    this.simd(Simd.const);
    scratch.setBigInt64(0, BigInt(value), true);
    for (let lane = 0; lane < 2; lane++) {
      for (let b = 0; b < 8; b++) this.bytes.push(scratch.getUint8(b));
    }
    return this;
  }

  /** A SIMD memory instruction (`v128.load`, `v128.store`, `v128.load64_splat`) at `offset`. */
  mem(opcode: number, offset: number): this {
    this.simd(opcode);
    this.bytes.push(3); // alignment hint 2^3: the data are 8-byte aligned
    uleb(this.bytes, offset);
    return this;
  }

  /** `f64x2.extract_lane` / `f64x2.replace_lane` of `lane`. */
  lane(opcode: number, lane: number): this {
    this.simd(opcode);
    this.bytes.push(lane);
    return this;
  }

  /** `call` of function `index`. */
  call(index: number): this {
    this.bytes.push(0x10);
    uleb(this.bytes, index);
    return this;
  }

  /** The encoded body: locals grouped by runs of one type, the instructions and `end`. */
  encode(): number[] {
    const groups: [number, number][] = [];
    for (const t of this.types.slice(this.params.length)) {
      const last = groups[groups.length - 1];
      if (last && last[1] === t) last[0]++;
      else groups.push([1, t]);
    }
    const body: number[] = [];
    uleb(body, groups.length);
    for (const [count, t] of groups) {
      uleb(body, count);
      body.push(t);
    }
    for (const b of this.bytes) body.push(b);
    body.push(0x0b);
    const out: number[] = [];
    uleb(out, body.length);
    for (const b of body) out.push(b);
    return out;
  }
}

/** An imported function `module.name` with its signature. */
export interface ImportedFunction {
  /** Import module name. */
  module: string;
  /** Import field name. */
  name: string;
  /** Parameter types. */
  params: readonly number[];
  /** Result types. */
  results: readonly number[];
}

/** What {@link encodeModule} writes. */
export interface ModuleSpec {
  /** Imported functions, indices 0…k−1 in calls. */
  imports: readonly ImportedFunction[];
  /** The defined function (index k), exported as `run`. */
  code: Code;
  /** Its result types. */
  results: readonly number[];
  /** Initial pages (64 KiB each) of the memory exported as `memory`. */
  memoryPages: number;
}

function section(out: number[], id: number, content: number[]): void {
  out.push(id);
  uleb(out, content.length);
  for (const b of content) out.push(b);
}

function vec(out: number[], items: readonly number[][]): void {
  uleb(out, items.length);
  for (const item of items) for (const b of item) out.push(b);
}

function name(out: number[], text: string): void {
  const bytes = new TextEncoder().encode(text);
  uleb(out, bytes.length);
  for (const b of bytes) out.push(b);
}

function funcType(params: readonly number[], results: readonly number[]): number[] {
  const t = [0x60];
  uleb(t, params.length);
  t.push(...params);
  uleb(t, results.length);
  t.push(...results);
  return t;
}

/**
 * The binary of a module with the imports, one function exported as `run` and one memory
 * exported as `memory`.
 *
 * @example
 * ```ts
 * import { Code, encodeModule, I32 } from "./binary.ts";
 * const code = new Code([I32]).get(0).get(0).op(0x6c); // x * x
 * const bytes = encodeModule({ imports: [], code, results: [I32], memoryPages: 1 });
 * const { exports } = new WebAssembly.Instance(new WebAssembly.Module(bytes));
 * (exports.run as (x: number) => number)(7); // 49
 * ```
 */
export function encodeModule(spec: ModuleSpec): Uint8Array<ArrayBuffer> {
  const params = spec.code.params;
  const out = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  const types = [...spec.imports.map((f) => funcType(f.params, f.results))];
  types.push(funcType(params, spec.results));
  const typeSec: number[] = [];
  vec(typeSec, types);
  section(out, 1, typeSec);
  const importSec: number[] = [];
  vec(
    importSec,
    spec.imports.map((f, i) => {
      const b: number[] = [];
      name(b, f.module);
      name(b, f.name);
      b.push(0x00);
      uleb(b, i);
      return b;
    }),
  );
  section(out, 2, importSec);
  const funcSec: number[] = [];
  const typeIndex: number[] = [];
  uleb(typeIndex, spec.imports.length);
  vec(funcSec, [typeIndex]);
  section(out, 3, funcSec);
  const memSec: number[] = [];
  const limits = [0x00];
  uleb(limits, spec.memoryPages);
  vec(memSec, [limits]);
  section(out, 5, memSec);
  const exportSec: number[] = [];
  const run: number[] = [];
  name(run, "run");
  run.push(0x00);
  uleb(run, spec.imports.length);
  const mem: number[] = [];
  name(mem, "memory");
  mem.push(0x02, 0x00);
  vec(exportSec, [run, mem]);
  section(out, 7, exportSec);
  const codeSec: number[] = [];
  vec(codeSec, [spec.code.encode()]);
  section(out, 10, codeSec);
  return Uint8Array.from(out);
}
