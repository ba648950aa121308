import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";

const root = new URL("../", import.meta.url);

async function deno(...args: string[]): Promise<{ ok: boolean; out: string; err: string }> {
  const r = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: fileURLToPath(root),
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const d = new TextDecoder();
  return { ok: r.success, out: d.decode(r.stdout), err: d.decode(r.stderr) };
}

Deno.test("every public symbol of mod.ts and plot.ts has an @category, so deno doc groups them", async () => {
  const r = await deno(
    "run",
    "--allow-read",
    "--allow-run",
    "scripts/add_doc_categories.ts",
    "--check",
  );
  assert.ok(r.ok, r.err);
});

Deno.test("each entry point has a module doc that reads as an overview with sections", async () => {
  const { nodes } = JSON.parse((await deno("doc", "--json", "mod.ts", "plot.ts", "cli.ts")).out);
  for (const entry of ["mod.ts", "plot.ts", "cli.ts"]) {
    const doc: string = nodes[new URL(entry, root).href].module_doc?.doc ?? "";
    const sections = doc.match(/^## .+$/gm) ?? [];
    assert.ok(sections.length >= 2, `${entry}: ${sections.length} sections in its module doc`);
  }
  const modDoc: string = nodes[new URL("mod.ts", root).href].module_doc.doc;
  for (
    const category of ["Parameters", "Fitting", "Models", "Confidence intervals", "Batch and GPU"]
  ) {
    assert.ok(modDoc.includes(`## ${category}`), `mod.ts overview has a section on ${category}`);
  }
});
