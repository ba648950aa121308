/**
 * PNG images from SVG documents, rendered by resvg (a Rust SVG renderer) in its WebAssembly
 * build, `@resvg/resvg-wasm`. Its `.wasm` file and the DejaVu Sans font that text is drawn with
 * (`dejavu-fonts-ttf`) are read from the installed npm packages: nothing is fetched at run time.
 * The WebAssembly module is compiled once, on the first call.
 *
 * @module
 */

// Pinned here rather than in deno.json, so that a script importing this library by path (outside
// the checkout, or in Deno's Jupyter kernel) resolves it without our config.
// deno-lint-ignore no-import-prefix
import { initWasm, Resvg } from "npm:@resvg/resvg-wasm@2.6.2";
// Imported only so that the font package is installed with this module's dependencies; the
// font file itself is read from the package folder below.
// deno-lint-ignore no-import-prefix
import "npm:dejavu-fonts-ttf@2.37.3/package.json" with { type: "json" };
import { createRequire } from "node:module";
import { checkOptions, optionKeys } from "../util/options.ts";

/**
 * Options of `svgToPng`.
 *
 * @example
 * ```ts
 * import type { SvgToPngOptions } from "./png.ts";
 * const options: SvgToPngOptions = { scale: 2 }; // twice the SVG's size, for high-DPI screens
 * ```
 */
export interface SvgToPngOptions {
  /** Pixels per SVG unit. @default 1 */
  scale?: number;
  /** Background colour behind transparent parts (CSS colour). @default none: transparent */
  background?: string;
}

const FONT = "DejaVu Sans";
let ready: Promise<Uint8Array[]> | null = null;

/** Compiles resvg's WebAssembly module and reads the font, once. */
function setup(): Promise<Uint8Array[]> {
  ready ??= (async () => {
    const require = createRequire(import.meta.url);
    let wasmPath: string, fontPath: string;
    try {
      wasmPath = require.resolve("@resvg/resvg-wasm/index_bg.wasm");
      fontPath = require.resolve("dejavu-fonts-ttf/ttf/DejaVuSans.ttf");
    } catch (e) {
      throw new Error(
        `PNG output needs the npm packages @resvg/resvg-wasm and dejavu-fonts-ttf installed ` +
          `(run \`deno install\` in the lmfit-ts folder): ${(e as Error).message}`,
      );
    }
    await initWasm(await Deno.readFile(wasmPath));
    return [await Deno.readFile(fontPath)];
  })();
  ready.catch(() => (ready = null));
  return ready;
}

/**
 * Renders an SVG document to a PNG image. Async; reads two files of installed npm packages.
 *
 * @param svg the SVG document (e.g. from `plotFit`).
 * @param options scale and background.
 * @returns the PNG file's bytes.
 *
 * @example
 * ```ts
 * import { svgToPng } from "./png.ts";
 * const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">' +
 *   '<rect width="40" height="20" fill="teal"/><text x="2" y="15">fit</text></svg>';
 * const png = await svgToPng(svg);
 * png.subarray(1, 4); // "PNG" in ASCII
 * new DataView(png.buffer).getUint32(16); // 40, the width
 * ```
 */
export async function svgToPng(svg: string, options: SvgToPngOptions = {}): Promise<Uint8Array> {
  checkOptions(options, optionKeys<SvgToPngOptions>({ scale: true, background: true }), "svgToPng");
  const scale = options.scale ?? 1;
  if (!(scale > 0) || !Number.isFinite(scale)) {
    throw new RangeError(`svgToPng: scale ${scale} must be a positive number`);
  }
  const fontBuffers = await setup();
  const resvg = new Resvg(svg, {
    fitTo: { mode: "zoom", value: scale },
    background: options.background,
    font: {
      fontBuffers,
      loadSystemFonts: false,
      defaultFontFamily: FONT,
      sansSerifFamily: FONT,
      serifFamily: FONT,
      monospaceFamily: FONT,
    },
  });
  try {
    const image = resvg.render();
    try {
      return image.asPng();
    } finally {
      image.free();
    }
  } finally {
    resvg.free();
  }
}
