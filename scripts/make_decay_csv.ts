// Writes examples/data/decay.csv: a decaying signal 8·exp(−t/2.5) + 1.5 sampled at t = 0, 0.1,
// ..., 12 with Gaussian noise (σ = 0.1) from a fixed seed, for the README's expression example.
// Run: deno run --allow-write scripts/make_decay_csv.ts
let seed = 20261206;
const uniform = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
const rows = ["# decaying signal: 8*exp(-time/2.5) + 1.5 with noise of sigma 0.1", "time,signal"];
for (let i = 0; i <= 120; i++) {
  const t = i / 10;
  rows.push(`${t},${(8 * Math.exp(-t / 2.5) + 1.5 + 0.1 * normal()).toFixed(4)}`);
}
Deno.writeTextFileSync(
  new URL("../examples/data/decay.csv", import.meta.url),
  rows.join("\n") + "\n",
);
