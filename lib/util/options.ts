/**
 * One rule for every options object of the library: an unknown key is an error that names it
 * and the closest valid key, never silently ignored.
 *
 * lmfit's snake_case spellings (`nan_policy`, `max_nfev`, `fcn_args`) are **not** accepted as
 * aliases: every option has exactly one name, the camelCase one, and a snake_case key is
 * rejected with that name ("did you mean nanPolicy?"). One name per option keeps results'
 * `callKws`, documentation and type checking unambiguous; the error message makes the
 * translation from an lmfit script mechanical.
 *
 * The closest key is the valid key whose camelCase form is the given key's camelCase form, else
 * the one at the smallest Damerau-Levenshtein distance (optimal string alignment, case-insensitive)
 * when that distance is at most a third of the key's length (at least 2).
 *
 * @module
 */

/**
 * `snake_case` (or `kebab-case`) to `camelCase`: `nan_policy` → `nanPolicy`.
 *
 * @param name A key.
 * @returns Its camelCase spelling (unchanged when it has no `_` or `-` between letters).
 * @example
 * ```ts
 * import { snakeToCamel } from "./options.ts";
 * snakeToCamel("max_nfev"); // "maxNfev"
 * snakeToCamel("minimizer_kwargs"); // "minimizerKwargs"
 * ```
 */
export function snakeToCamel(name: string): string {
  return name.replace(/(?<=[A-Za-z0-9])[_-]+([A-Za-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * Damerau-Levenshtein distance (optimal string alignment: insertions, deletions, substitutions
 * and transpositions of neighbours each cost 1).
 *
 * @param a First string.
 * @param b Second string.
 * @returns The number of edits from `a` to `b`.
 * @example
 * ```ts
 * import { editDistance } from "./options.ts";
 * editDistance("methd", "method"); // 1
 * editDistance("mehtod", "method"); // 1: one transposition
 * ```
 */
export function editDistance(a: string, b: string): number {
  const n = a.length, m = b.length;
  const d: number[][] = Array.from({ length: n + 1 }, (_, i) => {
    const row = new Array<number>(m + 1).fill(0);
    row[0] = i;
    return row;
  });
  for (let j = 0; j <= m; j++) d[0][j] = j;
  for (let i = 1; i <= n; i++) {
    for (let j = 1; j <= m; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        v = Math.min(v, d[i - 2][j - 2] + 1);
      }
      d[i][j] = v;
    }
  }
  return d[n][m];
}

/**
 * The valid name closest to `name` (see the module doc), or `undefined` when none is close.
 *
 * @param name The unknown key.
 * @param valid The valid keys.
 * @returns The suggestion, if any.
 * @example
 * ```ts
 * import { closestName } from "./options.ts";
 * closestName("nan_policy", ["nanPolicy", "maxNfev"]); // "nanPolicy"
 * closestName("max_nfev", ["nanPolicy", "maxNfev"]); // "maxNfev"
 * closestName("methd", ["method", "args"]); // "method"
 * closestName("zzz", ["method"]); // undefined
 * ```
 */
export function closestName(name: string, valid: Iterable<string>): string | undefined {
  const camel = snakeToCamel(name).toLowerCase();
  let best: string | undefined;
  let bestD = Infinity;
  for (const v of valid) {
    const lv = v.toLowerCase();
    if (lv === camel) return v;
    const dist = editDistance(camel, lv);
    if (dist < bestD) {
      bestD = dist;
      best = v;
    }
  }
  return bestD <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

/**
 * Throws a `TypeError` for the first key of `options` that is not in `valid`, naming it, the
 * closest valid key and where the options were given. A key whose value is `undefined` is not
 * given (as an optional property in TypeScript) and passes.
 *
 * @param options The options object (nothing is checked when it is `undefined` or `null`).
 * @param valid The accepted keys.
 * @param where Who takes the options, for the message (e.g. `"minimize"`).
 * @example
 * ```ts
 * import { checkOptions } from "./options.ts";
 * checkOptions({ maxNfev: 10 }, ["maxNfev", "nanPolicy"], "minimize"); // fine
 * try {
 *   checkOptions({ nan_policy: "omit" }, ["maxNfev", "nanPolicy"], "minimize");
 * } catch (e) {
 *   (e as Error).message; // "minimize: unknown option 'nan_policy'; did you mean nanPolicy? ..."
 * }
 * ```
 */
export function checkOptions(
  options: object | undefined | null,
  valid: Iterable<string>,
  where: string,
): void {
  if (options === undefined || options === null) return;
  if (typeof options !== "object") {
    throw new TypeError(`${where}: options must be an object, got ${typeof options}`);
  }
  const allowed = new Set(valid);
  for (const [key, value] of Object.entries(options)) {
    if (allowed.has(key) || value === undefined) continue;
    const near = closestName(key, allowed);
    const hint = near ? `did you mean ${near}?` : "no option has a similar name.";
    throw new TypeError(
      `${where}: unknown option '${key}'; ${hint} Valid options: ${
        [...allowed].sort().join(", ")
      } (options are camelCase; lmfit's snake_case names are not accepted).`,
    );
  }
}

/**
 * The keys of an options interface as a run-time list, checked by the compiler: the record must
 * name every key of `T` and nothing else, so a key added to the interface without being added
 * here fails `deno check` instead of being rejected at run time.
 *
 * @param keys `{ key: true, ... }` with every key of `T`.
 * @returns The keys.
 * @example
 * ```ts
 * import { optionKeys } from "./options.ts";
 * interface Opts { a?: number; b?: string }
 * const keys = optionKeys<Opts>({ a: true, b: true }); // ["a", "b"]
 * ```
 */
export function optionKeys<T>(
  keys: { readonly [K in keyof Required<T>]: true },
): readonly string[] {
  return Object.freeze(Object.keys(keys));
}
