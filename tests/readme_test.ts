import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";

const root = new URL("../", import.meta.url);
const readme = await Deno.readTextFile(new URL("README.md", root));

/** The commands of the README's sh blocks, continuation lines joined, comments dropped. */
function shellCommands(text: string): string[] {
  const commands: string[] = [];
  for (const block of text.matchAll(/```sh\n([\s\S]*?)```/g)) {
    const joined = block[1].replace(/\\\n\s*/g, "");
    for (const line of joined.split("\n")) {
      const command = line.replace(/\s+#\s.*$/, "").trim();
      if (command) commands.push(command);
    }
  }
  return commands;
}

Deno.test("every deno command of the README is also shown in its npx -y deno@2 form", () => {
  const commands = shellCommands(readme);
  const deno = commands.filter((c) => c.startsWith("deno "));
  assert.ok(deno.length >= 5, `found ${deno.length} deno commands`);
  const npx = new Set([
    ...commands.filter((c) => c.startsWith("npx -y deno@2 ")).map((c) => c.slice(14)),
    ...[...readme.matchAll(/`npx -y deno@2 ([^`]+)`/g)].map((m) => m[1]),
  ]);
  const missing = deno.filter((c) => !npx.has(c.slice("deno ".length)));
  assert.deepEqual(missing, []);
});

Deno.test("the README's deno task fit command fits the two peaks", async () => {
  const fit = shellCommands(readme).find((c) => c.startsWith("deno task fit "));
  assert.ok(fit, "the README shows deno task fit");
  // Its arguments, as the shell would split them (single quotes inside double quotes only).
  const args = [...fit.slice("deno task fit ".length).matchAll(/"([^"]*)"|(\S+)/g)].map((m) =>
    m[1] ?? m[2]
  );
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["task", "--quiet", "fit", ...args],
    cwd: fileURLToPath(root),
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
  const r2 = Number(/R-squared\s+=\s+(\S+)/.exec(text)?.[1]);
  assert.ok(r2 > 0.99, `R² ${r2}`);
});

Deno.test("the README lists every lmfit parity test that does not pass, and no other", async () => {
  const { KNOWN_FAILURES } = await import("./lmfit_parity/_known_failures.ts");
  const section = readme.split("## lmfit parity")[1].split("\n## ")[0];
  const listed = new Set([...section.matchAll(/`(test_\w+::[^`]+)`/g)].map((m) => m[1]));
  assert.deepEqual([...listed].sort(), Object.keys(KNOWN_FAILURES).sort());
  const count = section.match(/(\d+) pass \(([\d.]+)%\)/);
  assert.ok(count, "the section states how many pass");
  const total = Number(section.match(/\*\*(\d+) of lmfit's tests are mirrored/)![1]);
  assert.equal(Number(count[1]), total - Object.keys(KNOWN_FAILURES).length);
});

Deno.test("the device GPU bench script parses and the README names it", async () => {
  const script = new URL("../scripts/device_gpu_bench.sh", import.meta.url).pathname;
  const check = await new Deno.Command("bash", { args: ["-n", script] }).output();
  assert.equal(check.code, 0, new TextDecoder().decode(check.stderr));
  const readme = await Deno.readTextFile(new URL("../README.md", import.meta.url));
  assert.match(readme, /scripts\/device_gpu_bench\.sh/);
  // It runs the bench the task runs, without a config (no npm install on a machine offline).
  const text = await Deno.readTextFile(script);
  assert.match(text, /--no-config --node-modules-dir=none --cached-only/);
  assert.match(text, /bench\/gpu_bench\.ts/);
});
