/**
 * Fast, accurate sine, cosine and exponential for generated kernels.
 *
 * Sine and cosine: fdlibm's argument reduction (Cody–Waite with π/2 in three parts, as
 * `__ieee754_rem_pio2` for |x| < 2^20·π/2) and its `__kernel_sin`/`__kernel_cos` polynomials,
 * with the reduced argument's tail carried into the kernels; beyond |x| ≥ 1e5, and for NaN and
 * ±Infinity, `Math`. Exponential: x = (k/128)·ln 2 + s with |s| ≤ ln 2/256, 2^(k/128) from a
 * table in double-double (generated with Python's `decimal` at 60 digits) and a degree-6
 * polynomial for e^s, within ~0.51 ulp of the true value; outside |x| < 700 (overflow,
 * subnormal results, NaN), `Math.exp`. All agree with `Math` to within an ulp
 * (tests/expr/fast_math_test.ts) at a third (sin, cos) or half (exp) of its cost in V8.
 *
 * They are exported (from `mod.ts`) for users' own residual functions, where `Math.sin` and
 * `Math.exp` are most of a fit's time:
 *
 * ```ts
 * import { fastExp, fastSin, minimize, Parameters } from "../../mod.ts";
 * const x = Float64Array.from({ length: 500 }, (_, i) => i / 10);
 * const data = x.map((v) => 5 * Math.sin(0.4 * v + 0.3) * Math.exp(-v / 20));
 * const residual = (p: Parameters) => {
 *   const { amp, omega, shift, tau } = p.valuesdict();
 *   const out = new Float64Array(x.length);
 *   for (let i = 0; i < x.length; i++) {
 *     out[i] = amp * fastSin(omega * x[i] + shift) * fastExp(-x[i] / tau) - data[i];
 *   }
 *   return out;
 * };
 * const params = new Parameters();
 * params.addMany(["amp", 4], ["omega", 0.41], ["shift", 0.2], ["tau", 15]);
 * const result = await minimize(residual, params);
 * result.params.get("omega")!.value; // ≈ 0.4
 * ```
 *
 * @module
 */

const INVPIO2 = 6.36619772367581382433e-01;
const PIO2_1 = 1.57079632673412561417e+00; // first 33 bits of π/2
const PIO2_1T = 6.07710050650619224932e-11; // π/2 − PIO2_1
const PIO2_2 = 6.07710050630396597660e-11; // second 33 bits of π/2
const PIO2_2T = 2.02226624879595063154e-21; // π/2 − (PIO2_1 + PIO2_2)
const PIO2_3 = 2.02226624871116645580e-21; // third 33 bits of π/2
const PIO2_3T = 8.47842766036889956997e-32; // π/2 − (PIO2_1 + PIO2_2 + PIO2_3)
const PIO4 = 7.85398163397448278999e-01;
const TINY = 7.450580596923828125e-9; // 2^-27: sin(x) = x and cos(x) = 1 below
const LIMIT = 1e5;

const S1 = -1.66666666666666324348e-01;
const S2 = 8.33333333332248946124e-03;
const S3 = -1.98412698298579493134e-04;
const S4 = 2.75573137070700676789e-06;
const S5 = -2.50507602534068634195e-08;
const S6 = 1.58969099521155010221e-10;

const C1 = 4.16666666666666019037e-02;
const C2 = -1.38888888888741095749e-03;
const C3 = 2.48015872894767294178e-05;
const C4 = -2.75573143513906633035e-07;
const C5 = 2.08757232129817482790e-09;
const C6 = -1.13596475577881948265e-11;

/** fdlibm `__kernel_sin(x, y, 1)` on [-π/4, π/4], `y` the tail of `x`. */
function kernelSin(x: number, y: number): number {
  const z = x * x;
  const v = z * x;
  const r = S2 + z * (S3 + z * (S4 + z * (S5 + z * S6)));
  return x - ((z * (0.5 * y - v * r) - y) - v * S1);
}

/** FreeBSD `__kernel_cos(x, y)` on [-π/4, π/4], `y` the tail of `x`. */
function kernelCos(x: number, y: number): number {
  const z = x * x;
  const w = z * z;
  const r = z * (C1 + z * (C2 + z * C3)) + w * w * (C4 + z * (C5 + z * C6));
  const hz = 0.5 * z;
  const u = 1 - hz;
  return u + (((1 - u) - hz) + (z * r - x * y));
}

/** The reduced argument y0 + y1 of the last `reducePio2` call. */
const REDUCED = new Float64Array(2);

/**
 * x − k·π/2 for PIO4 < |x| < LIMIT, as y0 + y1 in `REDUCED`; returns k (fdlibm's medium-size
 * reduction, a second and third step only where more than 16 / 49 bits cancel).
 */
function reducePio2(x: number): number {
  const k = Math.round(x * INVPIO2);
  let r = x - k * PIO2_1; // exact: k·PIO2_1 has at most 50 significant bits
  let w = k * PIO2_1T;
  let y0 = r - w;
  const ax = Math.abs(x);
  if (Math.abs(y0) < ax * 1.52587890625e-5) {
    let t = r;
    w = k * PIO2_2;
    r = t - w;
    w = k * PIO2_2T - ((t - r) - w);
    y0 = r - w;
    if (Math.abs(y0) < ax * 1.7763568394002505e-15) {
      t = r;
      w = k * PIO2_3;
      r = t - w;
      w = k * PIO2_3T - ((t - r) - w);
      y0 = r - w;
    }
  }
  REDUCED[0] = y0;
  REDUCED[1] = (r - y0) - w;
  return k;
}

/** sin (`cos = 0`) or cos (`cos = 1`) of x for PIO4 < |x| < LIMIT: the kernel of the quadrant. */
function reduced(x: number, cos: number): number {
  const q = (reducePio2(x) + cos) & 3;
  const y0 = REDUCED[0], y1 = REDUCED[1];
  const v = (q & 1) === 0 ? kernelSin(y0, y1) : kernelCos(y0, y1);
  return q < 2 ? v : -v;
}

// The public functions below inline the first Cody–Waite step of `reducePio2` (the common case:
// fewer than 16 bits cancel), which keeps them small enough for V8 to inline into a user's loop
// and spares the round trip through `REDUCED`; the rare cases (|x| ≤ π/4, more cancellation,
// |x| ≥ LIMIT, NaN, ±Infinity) go through the general path, with the same numbers.

/**
 * `Math.sin(x)` to within an ulp, about three times faster in V8.
 *
 * @example
 * ```ts
 * import { fastSin } from "./fast_math.ts";
 * fastSin(Math.PI / 6); // ≈ 0.5
 * ```
 *
 * @category Expressions
 */
export function fastSin(x: number): number {
  const ax = Math.abs(x);
  const k = Math.round(x * INVPIO2);
  const r = x - k * PIO2_1;
  const w = k * PIO2_1T;
  const y0 = r - w;
  if (!(ax > PIO4 && ax < LIMIT) || Math.abs(y0) < ax * 1.52587890625e-5) return sinSlow(x, ax);
  const y1 = (r - y0) - w;
  const q = k & 3;
  const v = (q & 1) === 0 ? kernelSin(y0, y1) : kernelCos(y0, y1);
  return q < 2 ? v : -v;
}

function sinSlow(x: number, ax: number): number {
  if (ax <= PIO4) return ax < TINY ? x : kernelSin(x, 0);
  if (!(ax < LIMIT)) return Math.sin(x);
  return reduced(x, 0);
}

/**
 * `Math.cos(x)` to within an ulp, about three times faster in V8.
 *
 * @example
 * ```ts
 * import { fastCos } from "./fast_math.ts";
 * fastCos(Math.PI / 3); // ≈ 0.5
 * ```
 *
 * @category Expressions
 */
export function fastCos(x: number): number {
  const ax = Math.abs(x);
  const k = Math.round(x * INVPIO2);
  const r = x - k * PIO2_1;
  const w = k * PIO2_1T;
  const y0 = r - w;
  if (!(ax > PIO4 && ax < LIMIT) || Math.abs(y0) < ax * 1.52587890625e-5) return cosSlow(x, ax);
  const y1 = (r - y0) - w;
  const q = (k + 1) & 3;
  const v = (q & 1) === 0 ? kernelSin(y0, y1) : kernelCos(y0, y1);
  return q < 2 ? v : -v;
}

function cosSlow(x: number, ax: number): number {
  if (ax <= PIO4) return ax < TINY ? 1 : kernelCos(x, 0);
  if (!(ax < LIMIT)) return Math.cos(x);
  return reduced(x, 1);
}

/**
 * Both `Math.sin(x)` and `Math.cos(x)` (each within an ulp) with one argument reduction:
 * writes sin into `out[0]` and cos into `out[1]`.
 *
 * @example
 * ```ts
 * import { fastSinCos } from "./fast_math.ts";
 * const sc = new Float64Array(2);
 * fastSinCos(Math.PI / 3, sc); // sc ≈ [0.866, 0.5]
 * ```
 *
 * @category Expressions
 */
export function fastSinCos(x: number, out: Float64Array): void {
  const ax = Math.abs(x);
  const k = Math.round(x * INVPIO2);
  const r = x - k * PIO2_1;
  const w = k * PIO2_1T;
  const y0 = r - w;
  if (!(ax > PIO4 && ax < LIMIT) || Math.abs(y0) < ax * 1.52587890625e-5) {
    sinCosSlow(x, ax, out);
    return;
  }
  const y1 = (r - y0) - w;
  const s = kernelSin(y0, y1), c = kernelCos(y0, y1);
  const q = k & 3;
  if ((q & 1) === 0) {
    out[0] = q === 0 ? s : -s;
    out[1] = q === 0 ? c : -c;
  } else {
    out[0] = q === 1 ? c : -c;
    out[1] = q === 1 ? -s : s;
  }
}

function sinCosSlow(x: number, ax: number, out: Float64Array): void {
  if (ax <= PIO4) {
    if (ax < TINY) {
      out[0] = x;
      out[1] = 1;
    } else {
      out[0] = kernelSin(x, 0);
      out[1] = kernelCos(x, 0);
    }
    return;
  }
  if (!(ax < LIMIT)) {
    out[0] = Math.sin(x);
    out[1] = Math.cos(x);
    return;
  }
  const k = reducePio2(x);
  const y0 = REDUCED[0], y1 = REDUCED[1];
  const s = kernelSin(y0, y1), c = kernelCos(y0, y1);
  switch (k & 3) {
    case 0:
      out[0] = s;
      out[1] = c;
      break;
    case 1:
      out[0] = c;
      out[1] = -s;
      break;
    case 2:
      out[0] = -s;
      out[1] = -c;
      break;
    default:
      out[0] = -c;
      out[1] = s;
  }
}

const EXP2_HI = Float64Array.of(
  1.0,
  1.0054299011128027,
  1.0108892860517005,
  1.016378314910953,
  1.0218971486541166,
  1.0274459491187637,
  1.0330248790212284,
  1.0386341019613787,
  1.0442737824274138,
  1.0499440858006872,
  1.0556451783605572,
  1.061377227289262,
  1.0671404006768237,
  1.0729348675259756,
  1.0787607977571199,
  1.0846183622133092,
  1.0905077326652577,
  1.0964290818163769,
  1.102382583307841,
  1.1083684117236787,
  1.1143867425958924,
  1.1204377524096067,
  1.1265216186082418,
  1.1326385195987192,
  1.1387886347566916,
  1.1449721444318042,
  1.1511892299529827,
  1.1574400736337511,
  1.1637248587775775,
  1.1700437696832502,
  1.1763969916502812,
  1.182784710984341,
  1.189207115002721,
  1.1956643920398273,
  1.202156731452703,
  1.2086843236265816,
  1.215247359980469,
  1.2218460329727576,
  1.22848053610687,
  1.2351510639369334,
  1.241857812073484,
  1.2486009771892048,
  1.255380757024691,
  1.2621973503942507,
  1.2690509571917332,
  1.275941778396392,
  1.2828700160787783,
  1.2898358734066657,
  1.2968395546510096,
  1.3038812651919358,
  1.3109612115247644,
  1.318079601266064,
  1.3252366431597413,
  1.3324325470831615,
  1.339667524053303,
  1.3469417862329458,
  1.3542555469368927,
  1.3616090206382248,
  1.3690024229745905,
  1.3764359707545302,
  1.383909881963832,
  1.3914243757719262,
  1.3989796725383112,
  1.4065759938190154,
  1.4142135623730951,
  1.4218926021691656,
  1.42961333839197,
  1.4373759974489824,
  1.4451808069770467,
  1.4530279958490526,
  1.460917794180647,
  1.4688504333369818,
  1.4768261459394993,
  1.4848451658727524,
  1.4929077282912648,
  1.5010140696264256,
  1.5091644275934228,
  1.5173590411982147,
  1.5255981507445384,
  1.533881997840956,
  1.5422108254079407,
  1.550584877685,
  1.559004400237837,
  1.567469639965553,
  1.5759808451078865,
  1.5845382652524937,
  1.593142151342267,
  1.6017927556826934,
  1.6104903319492543,
  1.6192351351948637,
  1.6280274218573478,
  1.6368674497669644,
  1.645755478153965,
  1.6546917676561943,
  1.6636765803267364,
  1.6727101796415966,
  1.681792830507429,
  1.6909247992693053,
  1.7001063537185235,
  1.709337763100463,
  1.718619298122478,
  1.7279512309618377,
  1.7373338352737062,
  1.746767386199169,
  1.7562521603732995,
  1.7657884359332727,
  1.7753764925265212,
  1.785016611318935,
  1.7947090750031072,
  1.804454167806624,
  1.8142521755003989,
  1.8241033854070534,
  1.8340080864093424,
  1.843966568958626,
  1.8539791250833855,
  1.864046048397789,
  1.8741676341103,
  1.8843441790323345,
  1.8945759815869656,
  1.9048633418176741,
  1.9152065613971474,
  1.925605943636125,
  1.9360617934922943,
  1.9465744175792332,
  1.9571441241754002,
  1.9677712232331759,
  1.978456026387951,
  1.9891988469672663,
);
const EXP2_LO = Float64Array.of(
  0.0,
  9.499186535455032e-17,
  -1.5234778603368577e-17,
  -5.77217007319966e-17,
  5.109225028973444e-17,
  -4.9560741746453704e-17,
  7.600838874027088e-18,
  5.996273788852511e-17,
  8.551889705537965e-17,
  5.592937848127003e-17,
  1.759325738772092e-18,
  -1.1973537085365658e-17,
  -7.899853966841582e-17,
  -3.839668843358824e-18,
  -6.656660436056593e-17,
  3.166152845816346e-17,
  -3.046782079812471e-17,
  -5.919933484449316e-17,
  5.2660368715706944e-17,
  -8.786813845180527e-17,
  1.0410278456845571e-16,
  -6.201085906554179e-17,
  5.165856758795457e-17,
  3.237356166738e-17,
  8.912812676025408e-17,
  4.6412898921700107e-17,
  3.250710218863827e-17,
  -9.1238712311344e-17,
  3.8292048369240935e-17,
  -1.8477442017900047e-18,
  5.554203254218079e-17,
  1.542975430079076e-17,
  3.982015231465646e-17,
  4.6166036704814814e-17,
  6.644981499252301e-17,
  -4.746725945228984e-17,
  -7.712630692681488e-17,
  -1.0611021211402691e-16,
  -1.89878163130253e-17,
  -1.0755244344307841e-16,
  4.658027591836937e-17,
  -8.261810999021964e-17,
  -6.7113898212968784e-18,
  -3.0844648874738465e-17,
  2.667932131342186e-18,
  9.91543024421429e-17,
  1.713594918243561e-17,
  8.949257530897592e-17,
  2.5382502794888315e-17,
  8.647675598267871e-17,
  -7.181536135519454e-17,
  -5.4579558271491535e-17,
  -2.8587312100388614e-17,
  -5.101586630916744e-17,
  8.927282594831732e-17,
  3.224065101254679e-17,
  7.70094837980299e-17,
  1.533787661270668e-18,
  9.593797919118849e-17,
  -6.898588935871801e-17,
  -6.770511658794786e-17,
  -4.9061748652889893e-17,
  -9.614213209051323e-17,
  7.034914812136422e-18,
  -9.667293313452913e-17,
  -1.6077828915890244e-17,
  -1.2031642489053655e-17,
  -4.2040340164675566e-17,
  -3.0237581349939873e-17,
  -5.779948609396106e-17,
  -5.600377186075216e-17,
  8.465882756533628e-17,
  -3.483994556892796e-17,
  1.0780086764407481e-16,
  1.4192920154284036e-17,
  -6.413767275790235e-17,
  -1.016455327754295e-16,
  -4.308699472043341e-17,
  -1.1024941712342561e-16,
  8.875226844438446e-17,
  7.949834809697621e-17,
  -1.4600706590689385e-17,
  3.7812070533575275e-17,
  -1.0352061768849722e-16,
  -1.0136916471278304e-17,
  -1.9337717034585703e-17,
  -1.0094406542311964e-16,
  -6.054917453527784e-17,
  2.4707192569797888e-17,
  2.0941334154229092e-17,
  -6.712955084707084e-17,
  7.698325071319876e-17,
  -1.0125679913674773e-16,
  9.643294303196029e-17,
  5.8909926967131e-17,
  -5.476715964599563e-17,
  8.199010020581497e-17,
  -9.66967147439488e-17,
  -8.0237193703977e-18,
  -9.868779456632931e-17,
  -1.851380418263111e-17,
  -1.0750981861204642e-16,
  3.164389299292957e-17,
  -1.0752290483507515e-16,
  2.960140695448873e-17,
  9.461315018083268e-17,
  6.429731796556572e-17,
  1.5330400121031314e-17,
  1.8227458427912087e-17,
  -5.177222408793318e-17,
  -9.969531538920349e-17,
  -1.0159627862277083e-16,
  3.283107224245627e-17,
  -5.939742026949965e-17,
  9.761887490727594e-17,
  6.540912680620572e-17,
  -6.122763413004143e-17,
  -8.226593125533711e-17,
  3.4034035352165297e-17,
  6.533857514718279e-17,
  -1.0619946056195963e-16,
  -9.914963769693741e-17,
  1.0332385960676326e-16,
  6.811022349533877e-17,
  8.960767791036668e-17,
  -1.0314928011531132e-16,
  4.0388753109278167e-17,
  8.2051326383692e-18,
);

const N_LN2 = 184.6649652337873; // 128 / ln 2
const LN2_N_HI = 0.0054152123482253955; // ln 2 / 128, 35 bits: k·LN2_N_HI is exact
const LN2_N_LO = -1.0082281460997769e-13;
const ROUND = 6755399441055744; // 1.5·2^52: x + ROUND − ROUND rounds x to an integer
const POW2 = Float64Array.from({ length: 2046 }, (_, i) => Math.pow(2, i - 1022));

/**
 * `Math.exp(x)` to within an ulp, about twice as fast in V8.
 *
 * @example
 * ```ts
 * import { fastExp } from "./fast_math.ts";
 * fastExp(1); // ≈ Math.E
 * ```
 *
 * @category Expressions
 */
export function fastExp(x: number): number {
  if (!(Math.abs(x) < 700)) return expOutside(x);
  const kd = (x * N_LN2 + ROUND) - ROUND;
  const s = (x - kd * LN2_N_HI) - kd * LN2_N_LO;
  const k = kd | 0;
  const j = k & 127;
  const p = s + s * s * (0.5 + s * (1 / 6 + s * (1 / 24 + s * (1 / 120 + s * (1 / 720)))));
  const t = EXP2_HI[j];
  return (t + (t * p + EXP2_LO[j])) * POW2[1022 + ((k - j) >> 7)];
}

/**
 * exp(x) for |x| ≥ 700 or NaN. Below −746 the value rounds to 0 and above 710 it overflows
 * (e^−745.14 is half the smallest subnormal): answered here, as `Math.exp` would, without its
 * slow path (a fit's trial steps can put many points there); in between, `Math.exp`.
 */
function expOutside(x: number): number {
  if (x < -746) return 0;
  if (x > 710) return Infinity;
  return Math.exp(x);
}
