/**
 * `npx vitest bench --run` in this package: SPRIGHT's decoding time and
 * samples against the dense reference (baselines/fwht-top-k: every sample,
 * one FWHT, top K) on the same noisy signal (10 dB, unit coefficients),
 * N = 2^12, 2^16, 2^20 with K = 32 and the paper file's scale task
 * N = 2^22, K = 200. The signal is built from a fixed seed outside the timed
 * bodies and held in memory, so the oracle is a gather (x[t] for the indices
 * asked) for both; the FWHT side gathers all N. Every output is checked
 * finite; the samples each method read are printed once per size. Never
 * asserts a time.
 */
import { bench, describe } from 'vitest';
import { createRng, generateInstance, sparseTransform } from '@parsimony/core';
import { fwhtTopK } from '@parsimony/plugin-baselines';
import { spright } from '../src/index.js';

const sizes = [
  { n: 12, K: 32 },
  { n: 16, K: 32 },
  { n: 20, K: 32 },
  { n: 22, K: 200 },
];
const once = { iterations: 10, time: 0, warmupIterations: 2, warmupTime: 0 };

function finite(values: Float64Array): void {
  for (const v of values) if (!Number.isFinite(v)) throw new Error('non-finite output');
}

for (const { n, K } of sizes) {
  const N = 2 ** n;
  const { observation, truth } = generateInstance(sparseTransform, { n, K, snrDb: 10 }, ['bench/spright', n]);
  const all = Int32Array.from({ length: N }, (_, t) => t);
  // Chunks of at most N indices per request, as the session requires; here one request.
  const x = sparseTransform.interaction!.open(observation, truth).handle('query', [all]) as Float64Array;
  const gather = (idx: Int32Array) => {
    const out = new Float64Array(idx.length);
    for (let i = 0; i < idx.length; i++) out[i] = x[idx[i]];
    return out;
  };
  const seen = new Uint8Array(N);
  let distinct = 0;
  void spright((idx) => {
    for (const t of idx) {
      if (!seen[t]) distinct++;
      seen[t] = 1;
    }
    return gather(idx);
  }, observation, { rng: createRng('bench', 0) }).then(() => console.log(`n = ${n}, K = ${K}: spright reads ${distinct} samples (${((100 * distinct) / N).toFixed(2)}% of N), fwht-top-k ${N}`));

  describe(`n = ${n} (N = ${N}), K = ${K}, 10 dB`, () => {
    let seed = 1;
    bench(`spright:spright:n=${N}`, async () => finite((await spright(gather, observation, { rng: createRng('bench', seed++) })).values), once);
    bench(`baselines:fwhtTopK:n=${N}`, () => finite(fwhtTopK(gather(all), K).values), once);
  });
}
