/**
 * Runs the lmfit parity suite (tests/lmfit_parity) with LMFIT_PARITY_ALL=1, so the known
 * failures run too, and prints per lmfit test file: tests mirrored, passing, and known failures
 * that now pass (take those off tests/lmfit_parity/_known_failures.ts). Also lists table entries
 * that name no test.
 *
 *   deno run -A scripts/parity_status.ts
 */
import { KNOWN_FAILURES } from "../tests/lmfit_parity/_known_failures.ts";

const root = new URL("../", import.meta.url);
const junit = await Deno.makeTempFile({ suffix: ".xml" });
const run = await new Deno.Command(Deno.execPath(), {
  args: [
    "test",
    "--allow-read",
    "--allow-write=/tmp",
    "--allow-env",
    "--unstable-webgpu",
    "--reporter=junit",
    `--junit-path=${junit}`,
    "tests/lmfit_parity/",
  ],
  cwd: root,
  env: { LMFIT_PARITY_ALL: "1" },
  stdout: "null",
  stderr: "piped",
}).output();
const xml = await Deno.readTextFile(junit);
await Deno.remove(junit);

const unescape = (s: string) =>
  s.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
interface Row {
  total: number;
  pass: number;
  nowPass: string[];
  fail: string[];
}
const rows = new Map<string, Row>();
const seen = new Set<string>();
const re = /<testcase name="([^"]*)"[^>]*?(\/>|>([\s\S]*?)<\/testcase>)/g;
for (const m of xml.matchAll(re)) {
  const name = unescape(m[1]);
  const colon = name.indexOf(": ");
  if (colon < 0) continue;
  const file = name.slice(0, colon), test = name.slice(colon + 2);
  const key = `${file}::${test}`;
  seen.add(key);
  const body = m[3] ?? "";
  const failed = /<failure|<error/.test(body);
  const row = rows.get(file) ?? { total: 0, pass: 0, nowPass: [], fail: [] };
  row.total++;
  if (!failed) row.pass++;
  if (!failed && key in KNOWN_FAILURES) row.nowPass.push(test);
  if (failed && !(key in KNOWN_FAILURES)) row.fail.push(test);
  rows.set(file, row);
}
if (rows.size === 0) {
  console.error(new TextDecoder().decode(run.stderr));
  throw new Error("the parity suite produced no test results");
}
let total = 0, pass = 0;
console.log("file                           tests  pass  known failures now passing");
for (const [file, r] of [...rows].sort()) {
  total += r.total;
  pass += r.pass;
  console.log(
    `${file.padEnd(30)} ${String(r.total).padStart(5)} ${String(r.pass).padStart(5)}  ${
      r.nowPass.join(", ")
    }`,
  );
  for (const t of r.fail) console.log(`    NEW FAILURE (not in the table): ${t}`);
}
console.log(`total: ${total} tests, ${pass} pass (${(100 * pass / total).toFixed(1)}%)`);
const stale = Object.keys(KNOWN_FAILURES).filter((k) => !seen.has(k));
for (const k of stale) console.log(`table entry names no test: ${k}`);
