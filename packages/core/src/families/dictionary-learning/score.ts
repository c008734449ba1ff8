import type { MetricSpec } from '../../plugin/family.js';
import { GrowingCholesky, Matrix, matmul } from '../../linalg/index.js';
import { clampMetric, hungarian } from '../common.js';
import type { DictionaryLearningObservation, DictionaryLearningSolution, DictionaryLearningTruth } from './schema.js';

/** The metrics of `dictionary-learning`, one primary (formulas in README.md). */
export const dictionaryLearningMetrics: readonly MetricSpec[] = [
  { id: 'atom_recovery', label: 'Atom recovery', direction: 'max', primary: true, description: 'fraction of true atoms d with |⟨d̂, d⟩| > 0.99 (unit-normalized) after the best one-to-one matching' },
  { id: 'atom_err', label: 'Atom error', direction: 'min', description: '1 - mean over true atoms of the matched |⟨d̂, d⟩|' },
  { id: 'rep_err', label: 'Representation error', direction: 'min', description: '||Y - D̂ X̂||_F / ||Y||_F (X̂ from the solution, or OMP with k atoms per column)' },
  { id: 'density', label: 'Code density', direction: 'min', description: 'nnz(X̂) / (atoms · N)' },
  { id: 'child_cos', label: 'Child cosine', direction: 'max', description: 'mean matched |cos| over the leaf atoms of the best one-to-one matching (hierarchical: the children; otherwise every atom)' },
  { id: 'fvu', label: 'FVU', direction: 'min', description: 'fraction of variance unexplained ||Y - D̂ X̂||²_F / ||Y - Ȳ||²_F (Ȳ: the mean column)' },
  { id: 'l4_err', label: 'ℓ4 error', direction: 'min', description: '1 - Σ cos⁴(d_a, d̂_b) / K over all pairs of true and learned atoms (clamped at 0); for orthogonal D̂ and D it is 1 - ||D̂ᵀD||₄⁴ / n, 0 iff D̂ is a signed permutation of D (paper 01)' },
];

/**
 * Orthogonal matching pursuit of every column of Y on D (columns used as
 * given, selection by |dᵀr|/||d||): k atoms per column at most.
 *
 * @example
 * const X = ompCode(D, Y, 3); // atoms x N, <= 3 nonzeros per column
 */
export function ompCode(D: Matrix, Y: Matrix, k: number): Matrix {
  const { rows: n, cols: K } = D, N = Y.cols;
  const X = Matrix.zeros(K, N);
  const Dt = new Float64Array(K * n);
  const norms = new Float64Array(K);
  for (let i = 0; i < n; i++) for (let a = 0; a < K; a++) Dt[a * n + i] = D.data[i * K + a];
  for (let a = 0; a < K; a++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += Dt[a * n + i] ** 2;
    norms[a] = Math.sqrt(s);
  }
  const col = new Float64Array(n), r = new Float64Array(n);
  const dotAt = (a: number, v: Float64Array) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += Dt[a * n + i] * v[i];
    return s;
  };
  for (let j = 0; j < N; j++) {
    for (let i = 0; i < n; i++) col[i] = r[i] = Y.data[i * N + j];
    const chol = new GrowingCholesky(Math.min(k, K));
    const S: number[] = [];
    let coef = new Float64Array(0);
    while (S.length < Math.min(k, K)) {
      let best = -1, bv = 1e-12;
      for (let a = 0; a < K; a++) {
        if (!(norms[a] > 0) || S.includes(a)) continue;
        const v = Math.abs(dotAt(a, r)) / norms[a];
        if (v > bv) {
          bv = v;
          best = a;
        }
      }
      if (best < 0) break;
      const g = Float64Array.from(S, (s) => {
        let t = 0;
        for (let i = 0; i < n; i++) t += Dt[s * n + i] * Dt[best * n + i];
        return t;
      });
      if (!chol.append(g, norms[best] ** 2)) break;
      S.push(best);
      coef = Float64Array.from(S, (s) => dotAt(s, col));
      chol.solveInPlace(coef);
      r.set(col);
      S.forEach((s, t) => {
        for (let i = 0; i < n; i++) r[i] -= coef[t] * Dt[s * n + i];
      });
    }
    S.forEach((s, t) => (X.data[s * N + j] = coef[t]));
  }
  return X;
}

/** |cos| between every true atom (rows) and every estimated atom (columns); 0 for a zero column. */
function cosines(D: Matrix, Dh: Matrix): Matrix {
  const G = matmul(D, Dh, { transA: true });
  const nrm = (A: Matrix) => Float64Array.from({ length: A.cols }, (_, a) => {
    let s = 0;
    for (let i = 0; i < A.rows; i++) s += A.data[i * A.cols + a] ** 2;
    return Math.sqrt(s);
  });
  const na = nrm(D), nb = nrm(Dh);
  const g = G.data as Float64Array;
  for (let a = 0; a < G.rows; a++)
    for (let b = 0; b < G.cols; b++) {
      const c = Math.abs(g[a * G.cols + b]) / (na[a] * nb[b]);
      g[a * G.cols + b] = Number.isFinite(c) ? Math.min(c, 1) : 0;
    }
  return G;
}

/** Matched |cos| of every true atom (0 when it has no partner) after the assignment maximizing the total. */
export function matchedCosines(D: Matrix, Dh: Matrix): Float64Array {
  const C = cosines(D, Dh), K = C.rows, M = C.cols;
  const out = new Float64Array(K);
  if (K <= M) {
    const cost = { rows: K, cols: M, data: C.data.map((v) => -v) };
    hungarian(cost).forEach((b, a) => (out[a] = C.data[a * M + b]));
  } else {
    const cost = Matrix.zeros(M, K);
    for (let a = 0; a < K; a++) for (let b = 0; b < M; b++) cost.data[b * K + a] = -C.data[a * M + b];
    hungarian(cost).forEach((a, b) => (out[a] = C.data[a * M + b]));
  }
  return out;
}

/**
 * The ℓ4 recovery error of the ℓ4-maximisation dictionary-learning papers:
 * 1 - Σ_{a,b} cos⁴(d_a, d̂_b) / K over every true atom a and learned atom b,
 * clamped at 0 (an overcomplete D̂ can exceed K). For orthogonal D and D̂ it
 * is 1 - ||D̂ᵀD||₄⁴ / n, which is 0 iff D̂ is a signed permutation of D.
 *
 * @example
 * l4Err(D, D); // => 0 for an orthogonal D
 */
export function l4Err(D: Matrix, Dh: Matrix): number {
  const C = cosines(D, Dh);
  let s = 0;
  for (const c of C.data) s += c * c * c * c;
  return Math.max(0, 1 - s / Math.max(D.cols, 1));
}

/**
 * Metrics of a schema-valid solution that passed `checkSolution` (see README.md).
 * Pure: the observation, truth and solution are not mutated; every value is finite.
 */
export function scoreDictionaryLearning(obs: DictionaryLearningObservation, truth: DictionaryLearningTruth, sol: DictionaryLearningSolution): Record<string, number> {
  const Dh = obs.D ?? sol.D!;
  const Xh = sol.X ?? ompCode(Dh, obs.Y, obs.inferenceK ?? obs.k);
  const R = matmul(Dh, Xh);
  let num = 0, den = 0;
  for (let t = 0; t < R.data.length; t++) {
    num += (obs.Y.data[t] - R.data[t]) ** 2;
    den += obs.Y.data[t] ** 2;
  }
  let nnz = 0;
  for (const v of Xh.data) if (v !== 0) nnz++;
  const cos = matchedCosines(truth.D, Dh);
  let hit = 0, mean = 0;
  for (const c of cos) {
    if (c > 0.99) hit++;
    mean += c / cos.length;
  }
  // Leaves: atoms that are nobody's parent (every atom when there is no tree).
  const isParent = new Uint8Array(cos.length);
  for (const par of truth.parent ?? []) if (par >= 0) isParent[par] = 1;
  let leafSum = 0, leaves = 0;
  cos.forEach((c, a) => {
    if (!isParent[a]) {
      leafSum += c;
      leaves++;
    }
  });
  // FVU: the residual energy over the energy around the mean column.
  const { rows: n, cols: N } = obs.Y;
  let centred = 0;
  for (let i = 0; i < n; i++) {
    let mu = 0;
    for (let j = 0; j < N; j++) mu += obs.Y.data[i * N + j];
    mu /= Math.max(N, 1);
    for (let j = 0; j < N; j++) centred += (obs.Y.data[i * N + j] - mu) ** 2;
  }
  return {
    atom_recovery: hit / cos.length,
    atom_err: Math.max(0, 1 - mean),
    rep_err: clampMetric(Math.sqrt(num / Math.max(den, 1e-300))),
    density: nnz / Math.max(Xh.data.length, 1),
    child_cos: leaves > 0 ? leafSum / leaves : 0,
    fvu: clampMetric(num / Math.max(centred, 1e-300)),
    l4_err: l4Err(truth.D, Dh),
  };
}
