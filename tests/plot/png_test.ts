import assert from "node:assert/strict";
import { decode } from "fast-png";
import { svgToPng } from "../../lib/plot/png.ts";
import { plotFit } from "../../lib/plot/plot_fit.ts";

const PNG_SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];

Deno.test("svgToPng renders an SVG to a PNG of the SVG's size, with its colours", async () => {
  const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="30" height="12">' +
    '<rect width="30" height="12" fill="#ff0000"/><text x="1" y="10" font-size="9">fit</text></svg>';
  const png = await svgToPng(svg);
  assert.deepEqual(Array.from(png.subarray(0, 8)), PNG_SIGNATURE);
  const img = decode(png);
  assert.equal(img.width, 30);
  assert.equal(img.height, 12);
  assert.deepEqual(Array.from(img.data.subarray(0, 4)), [255, 0, 0, 255]); // top-left pixel red
  const big = decode(await svgToPng(svg, { scale: 2 }));
  assert.deepEqual([big.width, big.height], [60, 24]);
  await assert.rejects(() => svgToPng(svg, { scale: 0 }), /scale 0 must be a positive number/);
});

Deno.test("svgToPng draws text with the bundled font", async () => {
  const blank = '<svg xmlns="http://www.w3.org/2000/svg" width="60" height="20">' +
    '<rect width="60" height="20" fill="white"/></svg>';
  const withText = blank.replace(
    "</svg>",
    '<text x="2" y="15" font-family="sans-serif">Fit</text></svg>',
  );
  const dark = (png: Uint8Array) => {
    const { data } = decode(png);
    let n = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] < 128) n++;
    return n;
  };
  assert.equal(dark(await svgToPng(blank)), 0);
  assert.ok(dark(await svgToPng(withText)) > 20, "the text left no dark pixels");
});

Deno.test("a plotFit SVG becomes a PNG of the same width and height", async () => {
  const x = Float64Array.from({ length: 50 }, (_, i) => i / 5);
  const data = x.map((v) => Math.exp(-((v - 5) ** 2)));
  const fit = { data, bestFit: data, userVars: { x }, residual: new Float64Array(50) };
  const svg = await plotFit(fit, { width: 300, height: 200, title: "png" });
  const [, w, h] = /<svg[^>]* width="(\d+)" height="(\d+)"/.exec(svg)!;
  const img = decode(await svgToPng(svg));
  assert.deepEqual([img.width, img.height], [Number(w), Number(h)]);
});
