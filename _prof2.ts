import { ExpressionModel } from "./mod.ts";
import { loadFixture } from "./tests/_fixtures.ts";
const seed = loadFixture("seed_fits.json");
const x = Float64Array.from(seed.sine.x as number[]);
const data = Float64Array.from(seed.sine.data as number[]);
const em = new ExpressionModel("amp*sin(shift + x/period)*exp(-x*x*decay*decay)");
const pe = em.makeParams({ amp: 13, period: 2, shift: 0, decay: 0.02 });
for (let i = 0; i < 300; i++) await em.fit(data, pe, { x });
