/**
 * The command line on a 1,000,000-row CSV file: read, fitted (Gaussian plus line, 5 parameters)
 * and plotted to PNG, timed with `/usr/bin/time -v` (wall time, CPU time, peak resident memory),
 * beside Python lmfit (`numpy.loadtxt` + the same model with leastsq, no plot) on the same file
 * when `/usr/bin/python3` has lmfit. The file is generated in /tmp from a fixed seed.
 *
 * Budget (issue 13): at most 15 s and 400 MB on a 2-core machine. The load average is printed
 * because the machine may be shared: wall time then grows, CPU time much less.
 *
 * Usage: `deno run -A bench/cli_large.ts [rows]` (default 1,000,000); results in
 * `bench/cli_large.md`.
 *
 * @module
 */

const rows = Number(Deno.args[0] ?? 1_000_000);
const root = new URL("../", import.meta.url).pathname;
const csv = `/tmp/lmfit_cli_${rows}.csv`;
const png = `/tmp/lmfit_cli_${rows}.png`;
const spec = "gaussian(prefix='g_') + linear(prefix='b_')";

/** y = 12·exp(−(x−55)²/72) + 0.02x + 1 + uniform noise in ±0.25, x from 0 to 100. */
async function writeCsv(): Promise<void> {
  const file = await Deno.open(csv, { write: true, create: true, truncate: true });
  const enc = new TextEncoder();
  let seed = 1;
  const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  await file.write(enc.encode("x,y\n"));
  const chunk: string[] = [];
  for (let i = 0; i < rows; i++) {
    const x = (i / rows) * 100;
    const y = 12 * Math.exp(-((x - 55) ** 2) / 72) + 0.02 * x + 1 + (rnd() - 0.5) * 0.5;
    chunk.push(`${x},${y}\n`);
    if (chunk.length === 50_000 || i === rows - 1) {
      await file.write(enc.encode(chunk.join("")));
      chunk.length = 0;
    }
  }
  file.close();
}

interface Measured {
  wall: number;
  cpu: number;
  rssMb: number;
  stdout: string;
}

/** Runs `cmd` under `/usr/bin/time -v`; wall and CPU seconds, peak RSS in MB, stdout. */
async function timed(cmd: string[]): Promise<Measured> {
  const out = await new Deno.Command("/usr/bin/time", { args: ["-v", ...cmd], cwd: root })
    .output();
  const err = new TextDecoder().decode(out.stderr);
  const stdout = new TextDecoder().decode(out.stdout);
  if (!out.success) throw new Error(`${cmd.join(" ")} failed:\n${err.slice(-2000)}`);
  const num = (re: RegExp) => Number(re.exec(err)![1]);
  const [, h, m, s] = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/
    .exec(err)!;
  return {
    wall: Number(h ?? 0) * 3600 + Number(m) * 60 + Number(s),
    cpu: num(/User time \(seconds\): ([\d.]+)/) + num(/System time \(seconds\): ([\d.]+)/),
    rssMb: num(/Maximum resident set size \(kbytes\): (\d+)/) / 1024,
    stdout,
  };
}

await writeCsv();
const size = (await Deno.stat(csv)).size / 2 ** 20;
const load = (await Deno.readTextFile("/proc/loadavg")).split(" ").slice(0, 3).join(" ");
const ts = await timed([
  Deno.execPath(),
  "run",
  "-A",
  "cli.ts",
  csv,
  "--model",
  spec,
  "--plot",
  png,
  "--json",
]);
const tsFit = JSON.parse(ts.stdout);
const pngSize = (await Deno.stat(png)).size / 1024;

let py: Measured | null = null;
const hasLmfit = await new Deno.Command("/usr/bin/python3", { args: ["-c", "import lmfit"] })
  .output().then((o) => o.success, () => false);
if (hasLmfit) py = await timed(["/usr/bin/python3", "bench/cli_large_lmfit.py", csv]);
const pyFit = py ? JSON.parse(py.stdout) : null;

const fmt = (v: number, d = 1) => v.toFixed(d);
console.log(`${rows.toLocaleString("en")} rows (${fmt(size)} MiB), model ${spec}`);
console.log(`machine: ${navigator.hardwareConcurrency} cores, load average ${load} at the start`);
console.log("");
console.log("| run | wall (s) | CPU user+sys (s) | peak RSS (MB) |");
console.log("| --- | ---: | ---: | ---: |");
console.log(
  `| lmfit-ts cli.ts, fit + PNG plot (${fmt(pngSize)} KiB) | ${fmt(ts.wall)} | ${fmt(ts.cpu)} | ${
    fmt(ts.rssMb, 0)
  } |`,
);
if (py) {
  console.log(
    `| Python lmfit 1.1 (loadtxt + fit, no plot) | ${fmt(py.wall)} | ${fmt(py.cpu)} | ${
      fmt(py.rssMb, 0)
    } |`,
  );
} else console.log("| Python lmfit | not installed (apt-get install python3-lmfit) | | |");
if (py) {
  console.log("");
  console.log(
    `ratios lmfit-ts / Python: wall ${fmt(ts.wall / py.wall, 2)}, CPU ${
      fmt(ts.cpu / py.cpu, 2)
    }, memory ${fmt(ts.rssMb / py.rssMb, 2)}`,
  );
}
console.log("");
console.log("| parameter | lmfit-ts | Python lmfit |");
console.log("| --- | ---: | ---: |");
for (const name of ["g_amplitude", "g_center", "g_sigma", "b_slope", "b_intercept"]) {
  console.log(
    `| ${name} | ${tsFit.params[name].value.toPrecision(9)} | ${
      pyFit ? pyFit[name].toPrecision(9) : "-"
    } |`,
  );
}
console.log(
  `| R² | ${tsFit.rsquared.toPrecision(9)} | ${pyFit ? pyFit.rsquared.toPrecision(9) : "-"} |`,
);
console.log(`| evaluations | ${tsFit.nfev} | ${pyFit ? pyFit.nfev : "-"} |`);
console.log(
  `\nbudget: wall ≤ 15 s ${ts.wall <= 15 ? "met" : "MISSED"}, peak RSS ≤ 400 MB ${
    ts.rssMb <= 400 ? "met" : "MISSED"
  }`,
);
