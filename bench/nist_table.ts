/**
 * Prints the NIST StRD score table (matching digits of values and standard errors, through the
 * public API with default settings) as Markdown, for the README.
 * Run: deno run -A bench/nist_table.ts
 */
import { scoreNist } from "../tests/fit/nist_test.ts";

const scores = scoreNist();
const byName = new Map<string, typeof scores>();
for (const s of scores) byName.set(s.name, [...(byName.get(s.name) ?? []), s]);
console.log(
  "| problem | start 1: values / stderr digits | start 2: values / stderr digits | nfev (1 / 2) |",
);
console.log("|---|---|---|---|");
const cell = (s: (typeof scores)[number]) =>
  s.success
    ? `${s.lreValues.toFixed(1)} / ${s.lreStderr.toFixed(1)}`
    : `failure reported (${s.lreValues.toFixed(1)})`;
for (const [name, [a, b]] of byName) {
  console.log(`| ${name} | ${cell(a)} | ${cell(b)} | ${a.nfev} / ${b.nfev} |`);
}
const v6 = scores.filter((s) => s.lreValues >= 6).length;
const s4 = scores.filter((s) => s.lreStderr >= 4).length;
console.log(
  `\n${v6}/54 cases reach 6 digits in every value, ${s4}/54 reach 4 digits in every standard error.`,
);
