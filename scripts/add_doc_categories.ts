/**
 * Adds an `@category` tag to the doc comment of every public symbol of the entry points that has
 * none, so that `deno doc` and JSR group the API. The category follows from the folder of the
 * declaring file (see `CATEGORIES`); a file no rule matches is reported and nothing is written.
 * Only doc comments change. Idempotent.
 *
 * Usage: deno run -A scripts/add_doc_categories.ts [--check]
 * With `--check`, lists the symbols without a category and exits 1 if there are any.
 */
import { fileURLToPath } from "node:url";

/** Folder or file of the declaration → category, first match wins. */
export const CATEGORIES: [RegExp, string][] = [
  [/\/(plot\.ts|lib\/plot\/)/, "Plotting"],
  [/\/lib\/(io|display)\//, "Input/output"],
  [/\/lib\/model\/lineshapes\.ts$/, "Lineshapes"],
  [/\/lib\/model\//, "Models"],
  [/\/lib\/confidence\.ts$/, "Confidence intervals"],
  [/\/(lib\/batch|gpu)\//, "Batch and GPU"],
  [/\/lib\/special\//, "Special functions"],
  [/\/lib\/solvers\//, "Solvers"],
  [/\/lib\/linalg\//, "Linear algebra"],
  [/\/lib\/expr\//, "Expressions"],
  [/\/lib\/(parameters|symtable)\.ts$/, "Parameters"],
  [
    /\/lib\/(fit\/|util\/|minimizer|result|report|objective|scalar_methods|uncertainty|bounds|format|random)/,
    "Fitting",
  ],
];

/** Namespaces re-exported by mod.ts itself (`export * as lineshapes`). */
const NAMESPACES: Record<string, string> = { lineshapes: "Lineshapes", guesses: "Models" };

interface Declaration {
  location: { filename: string; line: number };
  jsDoc?: { tags?: { kind: string }[] };
}
interface DocSymbol {
  name: string;
  declarations: Declaration[];
}

const root = new URL("../", import.meta.url);
const check = Deno.args.includes("--check");
const entries = ["mod.ts", "plot.ts"];
const out = await new Deno.Command(Deno.execPath(), {
  args: ["doc", "--json", ...entries],
  cwd: fileURLToPath(root),
  stdout: "piped",
  stderr: "inherit",
}).output();
if (!out.success) throw new Error("deno doc --json failed");
const doc = JSON.parse(new TextDecoder().decode(out.stdout));

// file → line (1-based) of each declaration → category
const edits = new Map<string, Map<number, string>>();
const missing: string[] = [];
const unknown: string[] = [];
for (const entry of entries) {
  const symbols: DocSymbol[] = doc.nodes[new URL(entry, root).href].symbols;
  for (const sym of symbols) {
    for (const decl of sym.declarations) {
      if (decl.jsDoc?.tags?.some((t) => t.kind === "category")) continue;
      const file = decl.location.filename;
      const category = file.endsWith("/mod.ts") && NAMESPACES[sym.name]
        ? NAMESPACES[sym.name]
        : CATEGORIES.find(([re]) => re.test(file))?.[1];
      const where = `${sym.name} (${file.slice(root.href.length)}:${decl.location.line})`;
      if (!category) unknown.push(where);
      else {
        missing.push(`${where}: ${category}`);
        if (!edits.has(file)) edits.set(file, new Map());
        edits.get(file)!.set(decl.location.line, category);
      }
    }
  }
}
if (unknown.length) {
  console.error(`no category rule for:\n  ${unknown.join("\n  ")}\nadd one to CATEGORIES`);
  Deno.exit(1);
}
if (check) {
  if (missing.length) {
    console.error(`symbols without @category:\n  ${missing.join("\n  ")}`);
    console.error("run: deno run -A scripts/add_doc_categories.ts");
    Deno.exit(1);
  }
  console.log("every public symbol has a category");
  Deno.exit(0);
}

for (const [file, lines] of edits) {
  const path = fileURLToPath(file);
  const text = Deno.readTextFileSync(path).split("\n");
  // Bottom up, so that inserted lines do not move the ones still to edit.
  for (const line of [...lines.keys()].sort((a, b) => b - a)) {
    let end = line - 1; // deno doc counts lines from 0: this is the line above the declaration
    while (end >= 0 && /^\s*(\/\/|@)/.test(text[end])) end--; // lint directives, decorators
    const close = text[end] ?? "";
    const single = close.match(/^(\s*)\/\*\*\s*(.*?)\s*\*\/\s*$/);
    const star = single ? `${single[1]} *` : close.match(/^(\s*)\*\//)?.[1] + "*"; // " *" at top level
    const tag = `${star} @category ${lines.get(line)}`;
    if (single) {
      text.splice(end, 1, `${single[1]}/**`, `${star} ${single[2]}`, star, tag, `${star}/`);
    } else if (/^\s*\*\/\s*$/.test(close)) {
      const blank = /^\s*\*\s*$/.test(text[end - 1]);
      text.splice(end, 0, ...(blank ? [] : [star]), tag);
    } else {
      throw new Error(`${path}:${line}: no doc comment right above the declaration`);
    }
  }
  Deno.writeTextFileSync(path, text.join("\n"));
}
console.log(`tagged ${missing.length} declarations in ${edits.size} files`);
