/**
 * The method registry: every fitting method `minimize` accepts, `leastsq` included, as one
 * `MethodEntry` with one adapter signature (`MethodAdapter`, see `types.ts`). The `Minimizer`
 * looks a method up here, prepares its context and turns its outcome into a `MinimizerResult`;
 * adapters live one family to a file beside this one and know nothing of the Minimizer.
 *
 * A new method: write its solver in `lib/solvers/` (Float64Array in, result out), an entry in a
 * file here (or a new family file), and add it to `METHOD_REGISTRY`.
 *
 * @module
 */

import type { MethodAdapter, MethodEntry } from "./types.ts";
import { LEASTSQ } from "./leastsq.ts";
import { BFGS, CG, NELDER, NEWTON, POWELL } from "./local.ts";
import { COBYLA, LBFGSB, SLSQP, TNC, TRUST_CONSTR } from "./bounded.ts";
import {
  AMPGO,
  ANNEAL,
  BASINHOPPING,
  DIFFERENTIAL_EVOLUTION,
  DUAL_ANNEALING,
  SHGO,
} from "./global.ts";
import { LEAST_SQUARES } from "./least_squares.ts";
import { BRUTE } from "./brute.ts";
import { EMCEE } from "./emcee.ts";

export type {
  CovarianceSource,
  MethodAdapter,
  MethodContext,
  MethodEntry,
  MethodKind,
  MethodOutcome,
  MethodSpace,
} from "./types.ts";

/**
 * Every method, in `METHODS` order (`leastsq` first, the default).
 *
 * @example
 * ```ts
 * import { METHOD_REGISTRY } from "./registry.ts";
 * METHOD_REGISTRY[0].name; // "leastsq"
 * METHOD_REGISTRY.filter((m) => m.kind === "global").map((m) => m.name).includes("brute"); // true
 * ```
 *
 * @category Fitting
 */
export const METHOD_REGISTRY: readonly MethodEntry[] = Object.freeze([
  LEASTSQ,
  NELDER,
  POWELL,
  BFGS,
  CG,
  NEWTON,
  BASINHOPPING,
  DIFFERENTIAL_EVOLUTION,
  LEAST_SQUARES,
  LBFGSB,
  TNC,
  SLSQP,
  COBYLA,
  TRUST_CONSTR,
  AMPGO,
  SHGO,
  DUAL_ANNEALING,
  ANNEAL,
  BRUTE,
  EMCEE,
]);

/**
 * Option keys every method accepts besides its own `optionKeys`: `params` (start from other
 * parameters) and `maxNfev` (evaluation limit for this fit).
 *
 * @example
 * ```ts
 * import { COMMON_METHOD_OPTIONS } from "./registry.ts";
 * COMMON_METHOD_OPTIONS; // ["params", "maxNfev"]
 * ```
 *
 * @category Fitting
 */
export const COMMON_METHOD_OPTIONS: readonly string[] = Object.freeze(["params", "maxNfev"]);

/**
 * Other spellings lmfit and scipy accept for the same methods (matched case-insensitively).
 *
 * @example
 * ```ts
 * import { METHOD_ALIASES } from "./registry.ts";
 * METHOD_ALIASES["l-bfgs-b"]; // "lbfgsb"
 * ```
 *
 * @category Fitting
 */
export const METHOD_ALIASES: Readonly<Record<string, string>> = Object.freeze(
  Object.fromEntries(METHOD_REGISTRY.flatMap((m) => m.aliases.map((a) => [a, m.name]))),
);

const BY_NAME: ReadonlyMap<string, MethodEntry> = new Map(
  METHOD_REGISTRY.map((m) => [m.name, m]),
);

/**
 * The canonical method name for `method` (lower case, aliases resolved), or the lower-cased
 * name itself when it is not an alias.
 *
 * @example
 * ```ts
 * import { canonicalMethod } from "./registry.ts";
 * canonicalMethod("Nelder-Mead"); // "nelder"
 * canonicalMethod("L-BFGS-B"); // "lbfgsb"
 * canonicalMethod("powell"); // "powell": not an alias, returned lower-cased
 * ```
 *
 * @category Fitting
 */
export function canonicalMethod(method: string): string {
  const name = method.toLowerCase();
  return METHOD_ALIASES[name] ?? name;
}

/** The methods lmfit runs through `scalar_minimize`, whose names it also accepts by prefix. */
const PREFIX_METHODS: readonly string[] = [
  "nelder",
  "powell",
  "cg",
  "bfgs",
  "newton",
  "lbfgsb",
  "tnc",
  "cobyla",
  "slsqp",
  "differential_evolution",
  "trust-constr",
];

/**
 * The registry entry for a method name or alias (case-insensitive), or `undefined`.
 *
 * As lmfit 1.1.0's `minimize`, a name that starts with `leasts` is `leastsq`, one that starts
 * with `least_s` is `least_squares`, and a prefix of a scalar method's name or alias
 * (`lbfgs`, `nel`, `newton`, `trust`) is that method, provided it is the only one it fits (lmfit
 * takes the last match of an ambiguous prefix; here an ambiguous prefix is unknown).
 *
 * @example
 * ```ts
 * import { findMethod } from "./registry.ts";
 * findMethod("Nelder-Mead")?.name; // "nelder"
 * findMethod("lbfgs")?.name; // "lbfgsb"
 * findMethod("leastsq")?.maxNfevPerParam; // 2000
 * findMethod("simplex"); // undefined
 * findMethod("t"); // undefined: tnc or trust-constr
 * ```
 *
 * @category Fitting
 */
export function findMethod(method: string): MethodEntry | undefined {
  const name = canonicalMethod(method);
  const exact = BY_NAME.get(name);
  if (exact || name === "") return exact;
  if (name.startsWith("leasts")) return BY_NAME.get("leastsq");
  if (name.startsWith("least_s")) return BY_NAME.get("least_squares");
  const fits = new Set<string>();
  for (const canonical of PREFIX_METHODS) {
    const entry = BY_NAME.get(canonical)!;
    if ([entry.name, ...entry.aliases].some((a) => a.startsWith(name))) fits.add(canonical);
  }
  return fits.size === 1 ? BY_NAME.get([...fits][0]) : undefined;
}

/**
 * A method's adapter (kept under its earlier name): a prepared context in, an outcome out.
 *
 * @example
 * ```ts
 * import { type MethodRunner, SCALAR_METHODS } from "./registry.ts";
 * const run: MethodRunner = SCALAR_METHODS.powell;
 * typeof run; // "function"
 * ```
 *
 * @category Fitting
 */
export type MethodRunner = MethodAdapter;

/**
 * The adapters of every method besides `leastsq` (the scalar and global methods), by name.
 *
 * @example
 * ```ts
 * import { SCALAR_METHODS } from "./registry.ts";
 * "nelder" in SCALAR_METHODS; // true
 * "leastsq" in SCALAR_METHODS; // false: leastsq is the least-squares default, not a scalar method
 * Object.keys(SCALAR_METHODS).length > 10; // true
 * ```
 *
 * @category Fitting
 */
export const SCALAR_METHODS: Readonly<Record<string, MethodRunner>> = Object.freeze(
  Object.fromEntries(
    METHOD_REGISTRY.filter((m) => m.name !== "leastsq").map((m) => [m.name, m.run]),
  ),
);
