/**
 * `parseArgs` (node:util) for the command lines, with one change: an unknown flag is an error
 * that names it and the closest valid flag (`--nan_policy` → "did you mean --nan-policy?"), as
 * every options object of the library does.
 *
 * @module
 */

import { parseArgs, type ParseArgsConfig } from "node:util";
import { closestName } from "../util/options.ts";

/**
 * `parseArgs(config)`, rethrowing an unknown flag as a `TypeError` with the closest valid one.
 *
 * @param config as `parseArgs`'s (strict).
 * @returns as `parseArgs`'s.
 * @example
 * ```ts
 * import { parseFlags } from "./parse_flags.ts";
 * const { values } = parseFlags({ args: ["--plot", "a.svg"], options: { plot: { type: "string" } } });
 * values.plot; // "a.svg"
 * try {
 *   parseFlags({ args: ["--plto", "a.svg"], options: { plot: { type: "string" } } });
 * } catch (e) {
 *   (e as Error).message; // "unknown option '--plto'; did you mean --plot? ..."
 * }
 * ```
 *
 * @category Command line
 */
export function parseFlags<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (e) {
    const m = /Unknown option '(-{1,2})([^']+)'/.exec((e as Error).message);
    if (!m) throw e;
    const flags = Object.keys(config.options ?? {});
    const near = m[1] === "--" ? closestName(m[2], flags) : undefined;
    throw new TypeError(
      `unknown option '${m[1]}${m[2]}'; ${
        near ? `did you mean --${near}?` : "no option has a similar name."
      } Valid options: ${flags.map((f) => `--${f}`).join(", ")} (see --help)`,
    );
  }
}
