/**
 * `npx vitest bench --run` in this package: the indexing (set-up) time of
 * TurboQuant-mse — a Haar rotation and the Lloyd–Max codebook, computed
 * afresh (no cache) — against the k-means training of product quantization
 * (baselines/product-quantization, 256 centroids x 32 subspaces, 10
 * iterations), and the end-to-end encode + decode of both, at d = 128,
 * b = 2, N = 10^3 and 10^4 unit vectors. Inputs come from a fixed seed and
 * are built outside the timed bodies; every output is checked finite.
 * Never asserts a time.
 */
import { bench, describe } from 'vitest';
import { createRng, generateInstance, vectorQuantization, type Matrix } from '@parsimony/core';
import { productQuantization } from '@parsimony/plugin-baselines';
import { TurboQuantMse, turboquantMse } from '../src/index.js';

const d = 128, bits = 2;
const inputs = [1_000, 10_000].map((N) => ({ N, X: generateInstance(vectorQuantization, { N, d, bits, nQueries: 1 }, ['bench/turboquant', N]).observation.X }));
const once = { iterations: 3, time: 0, warmupIterations: 1, warmupTime: 0 };

function finite(M: Matrix): void {
  for (let t = 0; t < M.data.length; t += 97) if (!Number.isFinite(M.data[t])) throw new Error(`non-finite output at ${t}`);
}

for (const { N, X } of inputs) {
  describe(`indexing and encoding, d = ${d}, b = ${bits}, N = ${N}`, () => {
    let seed = 0;
    bench(`turboquant:TurboQuantMse.create:n=${N}`, () => {
      // Data-oblivious: the set-up never reads X, so its cost does not grow with N.
      const q = TurboQuantMse.create(d, bits, { rng: createRng('bench', seed++), cache: false });
      if (q.bitsPerVector !== bits * d) throw new Error('bad layout');
    }, once);
    bench(`turboquant:turboquantMse:n=${N}`, () => finite(turboquantMse(X, bits, { rng: createRng('bench', seed++), cache: false }).Xhat), once);
    bench(`baselines:productQuantization:n=${N}`, () => finite(productQuantization(X, { subspaces: (bits * d) / 8, rng: createRng('bench', seed++) }).Xhat), once);
  });
}
