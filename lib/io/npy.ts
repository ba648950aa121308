/**
 * NumPy `.npy` files (format 1.0/2.0/3.0) of float32 or float64, little- or big-endian, in C or
 * Fortran order: read into a row-major Float64Array, written as little-endian float64 C order.
 *
 * @module
 */

/**
 * A matrix read from a `.npy` file.
 *
 * @example
 * ```ts
 * import { type NpyMatrix, readNpy, writeNpy } from "./npy.ts";
 * const m: NpyMatrix = readNpy(writeNpy(Float64Array.of(1, 2, 3), [1, 3]));
 * [m.shape, m.dtype, m.fortranOrder]; // [[1, 3], "float64", false]
 * ```
 *
 * @category Input/output
 */
export interface NpyMatrix {
  /** Values, row-major (C order) whatever the file's order. */
  data: Float64Array;
  /** Rows and columns (a 1-D array is one row). */
  shape: [number, number];
  /** The file's element type. */
  dtype: "float32" | "float64";
  /** Whether the file was in Fortran (column-major) order. */
  fortranOrder: boolean;
}

/**
 * Parses a `.npy` file holding a 1-D or 2-D float32/float64 array.
 *
 * @param bytes the file's contents.
 * @returns the matrix, row-major.
 *
 * @example
 * ```ts
 * import { readNpy, writeNpy } from "./npy.ts";
 * const m = readNpy(writeNpy(Float64Array.of(1, 2, 3, 4, 5, 6), [2, 3]));
 * m.shape; // [2, 3]
 * m.data; // Float64Array [1, 2, 3, 4, 5, 6]
 * ```
 *
 * @category Input/output
 */
export function readNpy(bytes: Uint8Array): NpyMatrix {
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
  if (bytes.length < 10 || magic.some((b, i) => bytes[i] !== b)) {
    throw new SyntaxError("not a NumPy .npy file (no \\x93NUMPY magic)");
  }
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  const header = new TextDecoder(major === 3 ? "utf-8" : "latin1").decode(
    bytes.subarray(start, start + headerLen),
  );
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || !fortran || shapeText === undefined) {
    throw new SyntaxError(`malformed .npy header: ${header.trim()}`);
  }
  const dims = shapeText.split(",").map((s) => s.trim()).filter((s) => s).map(Number);
  if (dims.length < 1 || dims.length > 2 || dims.some((d) => !Number.isInteger(d))) {
    throw new RangeError(`.npy shape (${shapeText}): only 1-D and 2-D arrays are supported`);
  }
  const m = /^([<>|=])f([48])$/.exec(descr);
  if (!m) {
    throw new TypeError(
      `.npy dtype '${descr}': only float32 ('<f4') and float64 ('<f8') are supported`,
    );
  }
  const little = m[1] !== ">";
  const size = Number(m[2]);
  const [rows, cols] = dims.length === 1 ? [1, dims[0]] : [dims[0], dims[1]];
  const n = rows * cols, offset = start + headerLen;
  if (bytes.length < offset + n * size) {
    throw new RangeError(
      `.npy file truncated: ${n} values need ${offset + n * size} bytes, got ${bytes.length}`,
    );
  }
  const data = new Float64Array(n);
  const isF = fortran === "True" && dims.length === 2;
  for (let k = 0; k < n; k++) {
    const v = size === 8
      ? view.getFloat64(offset + 8 * k, little)
      : view.getFloat32(offset + 4 * k, little);
    // Fortran order: element k is (k % rows, k / rows).
    data[isF ? (k % rows) * cols + Math.floor(k / rows) : k] = v;
  }
  return {
    data,
    shape: [rows, cols],
    dtype: size === 8 ? "float64" : "float32",
    fortranOrder: isF,
  };
}

/**
 * Serialises a row-major matrix as a `.npy` file (format 1.0, little-endian float64, C order).
 *
 * @param data the values, row-major.
 * @param shape rows and columns.
 * @returns the file's bytes.
 *
 * @example
 * ```ts
 * import { writeNpy } from "./npy.ts";
 * const bytes = writeNpy(Float64Array.of(1, 2), [1, 2]);
 * bytes.length % 64; // 16: a 64-byte-aligned header, then 2 × 8 bytes
 * ```
 *
 * @category Input/output
 */
export function writeNpy(data: Float64Array, shape: [number, number]): Uint8Array {
  if (data.length !== shape[0] * shape[1]) {
    throw new RangeError(`writeNpy: ${data.length} values do not fill shape ${shape.join("×")}`);
  }
  let header = `{'descr': '<f8', 'fortran_order': False, 'shape': (${shape[0]}, ${shape[1]}), }`;
  const total = 10 + header.length + 1;
  header += " ".repeat((64 - (total % 64)) % 64) + "\n";
  const out = new Uint8Array(10 + header.length + data.length * 8);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  const view = new DataView(out.buffer, 10 + header.length);
  for (let k = 0; k < data.length; k++) view.setFloat64(8 * k, data[k], true);
  return out;
}
