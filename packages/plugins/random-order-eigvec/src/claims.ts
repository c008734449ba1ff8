import type { Claim } from '@parsimony/core';

/**
 * The suite tasks of paper 35 (family `eigenvector-streaming`, n = 64, h = 16 heavy rows, R_L = 16):
 * `-r1-5`, `-r2`, `-r4` are the heavy-carried instance (`model: 'heavy-top'`, ratio R), `-light`
 * the light-carried one (`model: 'light-top'`, R = 2).
 */
const task = (suffix: string) => `eigenvector-streaming/random-order-eigvec-${suffix}`;
const ROE = 'random-order-eigvec/random-order-eigvec';
const RATIOS = [
  ['r1-5', '1.5'],
  ['r2', '2'],
  ['r4', '4'],
] as const;

/**
 * The paper's claims as data; the leaderboard evaluates them on bench
 * results (median over seeds; a solver run over a parameter grid — Oja's η —
 * counts with its best setting). The thresholds are the paper file's test:
 * correlation ≥ 0.95 at every R, best fixed-η Oja ≤ 0.85 at R ≤ 2 (written
 * as a 0.10 margin under random-order-eigvec, which reaches ≥ 0.95), exactly
 * the h planted heavy rows found. (A claim may only name this plugin's
 * solvers, so "Oja also reaches ≥ 0.95 on the light-carried instance" is
 * checked in test/claims.test.ts and reported in the README, not declared.)
 */
export const claims: Claim[] = [
  ...RATIOS.map(
    ([suffix, R]): Claim => ({
      id: `correlation-${suffix}`,
      statement: `With rows in random order and O(h·d·polylog d) space, the output v has correlation ⟨v, v₁⟩² ≥ 0.95 with the top eigenvector at gap R = ${R} (R = Ω(1) suffices)`,
      task: task(suffix),
      metric: 'alignment',
      solver: ROE,
      value: 0.95,
      source: 'Abstract and main theorem (arXiv 2412.11963 v1): correlation 1 − O(1/√R) for R = Ω(1); threshold from the paper file',
    }),
  ),
  ...RATIOS.slice(0, 2).map(
    ([suffix, R]): Claim => ({
      id: `beats-fixed-eta-oja-${suffix}`,
      statement: `At R = ${R} (below log d), Oja's rule with the best fixed learning rate stays at least 0.10 below random-order-eigvec in correlation (≤ 0.85 against ≥ 0.95)`,
      task: task(suffix),
      metric: 'alignment',
      solver: ROE,
      versus: 'baselines/oja',
      margin: 0.1,
      source: 'Abstract: Price–Xun (fixed η) needs R = Ω(log d) even in random order; paper file test: best fixed-η Oja ≤ 0.85 at R ≤ 2',
    }),
  ),
  ...RATIOS.map(
    ([suffix, R]): Claim => ({
      id: `heavy-rows-found-${suffix}`,
      statement: `The heavy-row test ‖a‖² ≥ ‖A‖_F²/(d·polylog d) keeps exactly the h = 16 planted heavy rows (R = ${R})`,
      task: task(suffix),
      metric: 'heavy_errors',
      solver: ROE,
      value: 0,
      source: 'Method (heavy rows stored verbatim; space O(h·d·polylog d)); paper file test: exactly 16 detected',
    }),
  ),
  {
    id: 'light-top-correlation',
    statement: 'When the top direction is carried by the light rows (heavy rows orthogonal to it), random-order-eigvec still reaches correlation ≥ 0.95',
    task: task('light'),
    metric: 'alignment',
    solver: ROE,
    value: 0.95,
    source: 'Paper file, second instance: all methods reach ≥ 0.95',
  },
  ...RATIOS.slice(0, 2).map(
    ([suffix, R]): Claim => ({
      id: `tracks-heavy-subspace-${suffix}`,
      statement: `Tracking the heavy rows' span (Rayleigh–Ritz on [z, Hᵀ]) gains ≥ 0.10 in correlation over the single-vector update z ← normalize((n/|B|)·y + HᵀHz) at R = ${R}`,
      task: task(suffix),
      metric: 'alignment',
      solver: ROE,
      versus: 'random-order-eigvec/random-order-eigvec-simple',
      margin: 0.1,
      source: 'Paper file, variant random-order-eigvec-simple (prototype: 0.38–0.68 at R ≤ 2)',
    }),
  ),
];
