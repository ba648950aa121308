/**
 * `cli.ts --batch` on NumPy-written files (float64 C order, float32 Fortran order, one dataset
 * per column) and CSV (scripts/gen_npy_fixture.py): every dataset fitted, results as CSV and .npy.
 */
import assert from "node:assert/strict";
import { main } from "../cli.ts";
import { readNpy, writeNpy } from "../lib/io/npy.ts";

const data = (name: string) => new URL(`./testdata/${name}`, import.meta.url).pathname;
const truth = [[2, 0.5, 1], [3, -1, 0.7], [1, 0.2, 1.3]];

function checkRows(rows: number[][], tol: number) {
  assert.equal(rows.length, 3);
  rows.forEach((r, b) =>
    truth[b].forEach((v, k) => assert.ok(Math.abs(r[k] - v) < tol, `${b} ${k}: ${r[k]}`))
  );
}

Deno.test("readNpy reads NumPy's float64 C order and float32 Fortran order alike", async () => {
  const c = readNpy(await Deno.readFile(data("batch_rows_f8_c.npy")));
  const f = readNpy(await Deno.readFile(data("batch_rows_f4_fortran.npy")));
  assert.deepEqual([c.shape, c.dtype, c.fortranOrder], [[3, 32], "float64", false]);
  assert.deepEqual([f.shape, f.dtype, f.fortranOrder], [[3, 32], "float32", true]);
  c.data.forEach((v, i) => assert.ok(Math.abs(v - f.data[i]) <= 1e-7 * Math.abs(v) + 1e-30));
  const back = readNpy(writeNpy(c.data, [3, 32]));
  assert.deepEqual(back.data, c.data);
  assert.throws(() => readNpy(new Uint8Array(16)), /not a NumPy \.npy file/);
});

for (
  const [file, extra] of [
    ["batch_rows_f8_c.npy", []],
    ["batch_rows_f4_fortran.npy", []],
    ["batch_cols_f8_fortran.npy", ["--columns"]],
    ["batch_rows.csv", []],
  ] as const
) {
  Deno.test(`--batch fits every dataset of ${file} ${extra.join(" ")}`, async () => {
    const out = await Deno.makeTempFile({ dir: "/tmp", suffix: ".csv" });
    const code = await main([
      "--batch",
      data(file),
      ...extra,
      "--model",
      "gaussian",
      "--x=-4:4",
      "--device",
      "cpu",
      "--out",
      out,
    ]);
    assert.equal(code, 0);
    const lines = (await Deno.readTextFile(out)).trim().split("\n");
    assert.equal(
      lines[0],
      "amplitude,center,sigma,amplitude_stderr,center_stderr,sigma_stderr,chisqr,status",
    );
    checkRows(
      lines.slice(1).map((l) => l.split(",").map(Number)),
      file.includes("f4") ? 1e-5 : 1e-8,
    );
    lines.slice(1).forEach((l) => assert.match(l, /,converged$/));
    await Deno.remove(out);
  });
}

Deno.test("--batch writes .npy results (status as a code) and names bad options", async () => {
  const out = await Deno.makeTempFile({ dir: "/tmp", suffix: ".npy" });
  assert.equal(
    await main([
      "--batch",
      data("batch_rows_f8_c.npy"),
      "--model",
      "gaussian",
      "--x=-4:4",
      "--device",
      "cpu", // one GPU device per test process: only tests/gpu_test.ts opens it
      "--out",
      out,
    ]),
    0,
  );
  const r = readNpy(await Deno.readFile(out));
  assert.deepEqual(r.shape, [3, 8]);
  checkRows(
    Array.from({ length: 3 }, (_, b) => Array.from(r.data.subarray(b * 8, b * 8 + 8))),
    1e-8,
  );
  assert.deepEqual([0, 1, 2].map((b) => r.data[b * 8 + 7]), [0, 0, 0]);
  await Deno.remove(out);
  assert.equal(
    await main(["--batch", data("batch_rows.csv"), "--model", "gaussian", "--x", "1,2"]),
    2,
  );
  assert.equal(
    await main(["--batch", data("batch_rows.csv"), "--model", "gaussian", "--init", "foo=1"]),
    2,
  );
});
