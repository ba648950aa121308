import assert from "node:assert/strict";
import { Code, encodeModule, I32, Simd, sleb, uleb, V128 } from "../../../lib/expr/wasm/binary.ts";
import { simdSupported } from "../../../lib/expr/wasm/simd_support.ts";

const bytesOf = (f: (out: number[]) => void): number[] => {
  const out: number[] = [];
  f(out);
  return out;
};

Deno.test("uleb and sleb write the LEB128 encodings of the specification's examples", () => {
  assert.deepEqual(bytesOf((o) => uleb(o, 0)), [0]);
  assert.deepEqual(bytesOf((o) => uleb(o, 127)), [0x7f]);
  assert.deepEqual(bytesOf((o) => uleb(o, 128)), [0x80, 0x01]);
  assert.deepEqual(bytesOf((o) => uleb(o, 624485)), [0xe5, 0x8e, 0x26]);
  assert.deepEqual(bytesOf((o) => uleb(o, 2 ** 32 - 1)), [0xff, 0xff, 0xff, 0xff, 0x0f]);
  assert.deepEqual(bytesOf((o) => sleb(o, 0)), [0]);
  assert.deepEqual(bytesOf((o) => sleb(o, 63)), [0x3f]);
  assert.deepEqual(bytesOf((o) => sleb(o, 64)), [0xc0, 0x00]);
  assert.deepEqual(bytesOf((o) => sleb(o, -1)), [0x7f]);
  assert.deepEqual(bytesOf((o) => sleb(o, -64)), [0x40]);
  assert.deepEqual(bytesOf((o) => sleb(o, -65)), [0xbf, 0x7f]);
  assert.deepEqual(bytesOf((o) => sleb(o, -123456)), [0xc0, 0xbb, 0x78]);
});

Deno.test("encodeModule writes a module whose function and memory are exported and callable", () => {
  // run(a, b) = a * b + 1 with a local, and an imported function called on the way.
  const code = new Code([I32, I32]);
  const t = code.local(I32);
  code.get(0).get(1).op(0x6c).set(t).get(t).call(0);
  const bytes = encodeModule({
    imports: [{ module: "m", name: "inc", params: [I32], results: [I32] }],
    code,
    results: [I32],
    memoryPages: 2,
  });
  assert(WebAssembly.validate(bytes));
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
    m: { inc: (v: number) => v + 1 },
  });
  assert.equal((instance.exports.run as (a: number, b: number) => number)(6, 7), 43);
  assert.equal((instance.exports.memory as WebAssembly.Memory).buffer.byteLength, 2 * 65536);
});

Deno.test({
  name: "Code's SIMD instructions: f64x2 constants, loads, arithmetic, lanes and stores",
  ignore: !simdSupported(),
  fn() {
    // run(): mem[16..32) = (mem[0..16) * 3 + (-0)) with lane 1 replaced by extract(lane 0) / 2
    const code = new Code([]);
    const v = code.local(V128);
    code.i32Const(0).mem(Simd.load, 0).f64x2Const(3).simd(Simd.f64x2Mul).f64x2Const(-0)
      .simd(Simd.f64x2Add).set(v);
    code.i32Const(0).get(v).get(v).lane(Simd.f64x2ExtractLane, 0).op(0x44, ...half())
      .op(0xa2).lane(Simd.f64x2ReplaceLane, 1).mem(Simd.store, 16);
    const bytes = encodeModule({ imports: [], code, results: [], memoryPages: 1 });
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes));
    const heap = new Float64Array((instance.exports.memory as WebAssembly.Memory).buffer);
    heap.set([1.5, -2], 0);
    (instance.exports.run as () => void)();
    assert.deepEqual([...heap.subarray(2, 4)], [4.5, 2.25]);
  },
});

/** The little-endian bytes of 0.5. */
function half(): number[] {
  return [...new Uint8Array(Float64Array.of(0.5).buffer)];
}
