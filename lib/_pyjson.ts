/**
 * JSON as Python's `json` module writes it: `NaN`, `Infinity` and `-Infinity` appear as bare
 * tokens (lmfit's files contain them for unbounded parameters). Module-private.
 *
 * @module
 */

const SENTINEL = "\u0000pyjson:";

/**
 * JSON text with non-finite numbers written as Python's `json.dumps` writes them.
 *
 * @example
 * ```ts
 * import { pyJsonStringify } from "./_pyjson.ts";
 * pyJsonStringify({ min: -Infinity, v: NaN }); // '{"min":-Infinity,"v":NaN}'
 * ```
 */
export function pyJsonStringify(value: unknown): string {
  const text = JSON.stringify(value, (_k, v) => {
    if (typeof v === "number" && !Number.isFinite(v)) return SENTINEL + String(v);
    return v;
  });
  return text.replace(/"\\u0000pyjson:(-?Infinity|NaN)"/g, "$1");
}

/**
 * Parses JSON that may contain Python's bare `NaN`, `Infinity` and `-Infinity` tokens.
 * Throws a `SyntaxError` that says where the text stops being JSON.
 *
 * @example
 * ```ts
 * import { pyJsonParse } from "./_pyjson.ts";
 * pyJsonParse('{"max": Infinity, "v": [NaN, -Infinity]}'); // { max: Infinity, v: [NaN, -Infinity] }
 * ```
 */
export function pyJsonParse(text: string): unknown {
  let out = "";
  let last = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') {
      inString = true;
      continue;
    }
    for (const tok of ["-Infinity", "Infinity", "NaN"]) {
      if (text.startsWith(tok, i)) {
        out += text.slice(last, i) + JSON.stringify(SENTINEL + tok);
        i += tok.length - 1;
        last = i + 1;
        break;
      }
    }
  }
  out += text.slice(last);
  return JSON.parse(out, (_k, v) => {
    if (typeof v === "string" && v.startsWith(SENTINEL)) return Number(v.slice(SENTINEL.length));
    return v;
  });
}
