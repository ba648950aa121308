const reuse = Number(Deno.args[0]);
(globalThis as any).__REUSE = reuse;
const { scoreNistLm } = await import("./tests/solvers/nist_lm_test.ts");
const { scoreNist } = await import("./tests/nist_test.ts");
for (const [nm, rows] of [["lm", scoreNistLm({})], ["api", scoreNist()]] as const) {
  const v6 = rows.filter((s: any) => s.lreValues >= 6).length, s4 = rows.filter((s: any) => s.lreStderr >= 4).length;
  const fs = rows.filter((s: any) => s.success && s.lreValues < 4).length;
  const nfev = rows.reduce((a: number, s: any) => a + s.nfev, 0);
  console.log(reuse, nm, { v6, s4, falseSuccess: fs, nfev });
}
