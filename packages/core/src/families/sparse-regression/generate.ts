import { lstsq, Matrix, matvec, nrm2 } from '../../linalg/index.js';
import type { Rng } from '../../random/index.js';
import type { Instance } from '../../plugin/family.js';
import { badParam } from '../common.js';
import type { SparseRegressionObservation, SparseRegressionParams, SparseRegressionTruth } from './schema.js';

/** Rows i.i.d. N(0, Σ) with Σ_ij = rho^|i-j| (an AR(1) recursion along each row). */
function ar1Design(rows: number, cols: number, rho: number, rng: Rng): Matrix {
  const a = Matrix.zeros(rows, cols);
  const s = Math.sqrt(1 - rho * rho);
  for (let i = 0; i < rows; i++) {
    const o = i * cols;
    // The row's deviates in one draw (the same numbers as one normal() per entry), then the recursion in place.
    const z = rng.fillNormal(a.data.subarray(o, o + cols));
    let prev = z[0];
    for (let j = 1; j < cols; j++) {
      prev = rho * prev + s * z[j];
      z[j] = prev;
    }
  }
  return a;
}

/** The shared part of the factor design: loadings A (d x r, row j = A_j) and the scales s_j = √(‖A_j‖² + ε²). */
interface FactorLoadings {
  readonly A: Float64Array;
  readonly r: number;
  readonly eps: number;
  readonly scale: Float64Array;
}

function factorLoadings(d: number, r: number, eps: number, rng: Rng): FactorLoadings {
  const A = rng.fillNormal(new Float64Array(d * r));
  const scale = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    let s = eps * eps;
    for (let t = 0; t < r; t++) s += A[j * r + t] ** 2;
    scale[j] = Math.sqrt(s);
  }
  return { A, r, eps, scale };
}

/**
 * Rows x = (A f + ε g) / s with f ~ N(0, I_r), g ~ N(0, I_d): r dominant
 * directions shared by every feature plus a small idiosyncratic part, each
 * feature of unit variance (paper 30's ill-conditioned design).
 */
function factorDesign(rows: number, L: FactorLoadings, rng: Rng): Matrix {
  const { A, r, eps, scale } = L;
  const d = scale.length;
  const X = Matrix.zeros(rows, d);
  // Per row, f (r deviates) then g (d deviates), drawn at once: the same numbers as one normal() each.
  const fg = new Float64Array(r + d);
  for (let i = 0; i < rows; i++) {
    rng.fillNormal(fg);
    const o = i * d;
    for (let j = 0; j < d; j++) {
      let v = 0;
      for (let t = 0; t < r; t++) v += A[j * r + t] * fg[t];
      X.data[o + j] = (v + eps * fg[r + j]) / scale[j];
    }
  }
  return X;
}

/**
 * Adversarial values on the support S (paper 30's task): a Gaussian vector
 * projected onto the null space of the scaled loadings (A_j / s_j)_{j∈S}, so
 * that X w cancels every dominant direction, then scaled so (1/N)‖X w‖² = 1.
 */
function cancellingValues(X: Matrix, L: FactorLoadings, supp: Int32Array, w: Float64Array, rng: Rng): void {
  const k = supp.length, { A, r, scale } = L;
  const B = Matrix.zeros(k, r);
  for (let i = 0; i < k; i++) for (let t = 0; t < r; t++) B.data[i * r + t] = A[supp[i] * r + t] / scale[supp[i]];
  const g = rng.fillNormal(new Float64Array(k));
  const c = lstsq(B, g).x;
  for (let i = 0; i < k; i++) {
    let p = 0;
    for (let t = 0; t < r; t++) p += B.data[i * r + t] * c[t];
    w[supp[i]] = g[i] - p;
  }
  const power = nrm2(matvec(X, w)) / Math.sqrt(X.rows);
  for (let i = 0; i < k; i++) w[supp[i]] /= power;
}

/** Responses: y = X w + noiseStd·z (squared), or ±1 labels with P(+1) = σ(xᵀw) (logistic). */
function responses(X: Matrix, w: Float64Array, p: SparseRegressionParams, rng: Rng): Float64Array {
  const y = matvec(X, w);
  for (let i = 0; i < y.length; i++) {
    if (p.loss === 'squared') y[i] += p.noiseStd * rng.normal();
    else y[i] = rng.uniform() < 1 / (1 + Math.exp(-y[i])) ? 1 : -1;
  }
  return y;
}

/**
 * The default λ of the reported objective (the usual √(2 ln d / N) scaling).
 *
 * @example
 * defaultLambda({ N: 200, d: 500, loss: 'squared', noiseStd: 0.5 }) // => 0.1246
 */
export function defaultLambda(p: Pick<SparseRegressionParams, 'N' | 'd' | 'loss' | 'noiseStd'>): number {
  const rate = Math.sqrt((2 * Math.log(Math.max(p.d, 2))) / p.N);
  return p.loss === 'squared' ? Math.max(p.noiseStd, 0.01) * rate : 0.5 * rate;
}

/**
 * Draws (X, y) from a k-sparse linear (or logistic) model, plus a held-out
 * test set; with `epsilon`, privatizes every training sample locally
 * (clipping, then the Gaussian mechanism) before the solver sees it.
 */
export function generateSparseRegression(p: SparseRegressionParams, rng: Rng): Instance<SparseRegressionObservation, SparseRegressionTruth> {
  const { N, d, k } = p;
  if (k > d) throw badParam('sparse-regression', 'k', `= ${k} exceeds d = ${d}; use k <= d`);

  const factor = p.design === 'factor';
  if (factor && p.rho !== 0) throw badParam('sparse-regression', 'rho', `= ${p.rho} applies to design 'ar1' only; use rho = 0 with design 'factor'`);
  if (p.amplitudes === 'cancelling') {
    if (!factor) throw badParam('sparse-regression', 'amplitudes', "= 'cancelling' needs design = 'factor' (it cancels the factor directions)");
    if (k <= p.factors) throw badParam('sparse-regression', 'k', `= ${k} must exceed factors = ${p.factors} for amplitudes 'cancelling' (the null space of the support's loadings is empty)`);
  }

  const L = factor ? factorLoadings(d, p.factors, p.factorNoise, rng) : undefined;
  const X = L ? factorDesign(N, L, rng) : ar1Design(N, d, p.rho, rng);
  const w = new Float64Array(d);
  const supp = rng.sampleWithoutReplacement(d, k);
  if (p.amplitudes === 'cancelling') cancellingValues(X, L!, supp, w, rng);
  else for (let i = 0; i < k; i++) w[supp[i]] = p.amplitudes === 'unit' ? (rng.uniform() < 0.5 ? -1 : 1) : rng.normal();
  const y = responses(X, w, p, rng);
  const Xtest = L ? factorDesign(p.nTest, L, rng) : ar1Design(p.nTest, d, p.rho, rng);
  const ytest = responses(Xtest, w, p, rng);

  const lambda = p.lambda ?? defaultLambda(p);
  const observation: SparseRegressionObservation = { X, y, loss: p.loss, lambda, k, ...(p.loss === 'squared' && { noiseStd: p.noiseStd }) };

  if (p.epsilon !== undefined) {
    // Clip at ~√(2 ln N) standard deviations (the usual LDP choice): features have unit variance.
    const tail = Math.sqrt(2 * Math.log(Math.max(N, 2)));
    const clipX = tail;
    const clipY = p.loss === 'logistic' ? 1 : tail * Math.sqrt(nrm2(w) ** 2 + p.noiseStd ** 2);
    // Gaussian mechanism on the record (x̃, ỹ): L2 sensitivity 2·√(d clipX² + clipY²).
    const sens = 2 * Math.sqrt(d * clipX * clipX + clipY * clipY);
    const noiseStd = (sens * Math.sqrt(2 * Math.log(1.25 / p.delta))) / p.epsilon;
    for (let i = 0; i < X.data.length; i++) X.data[i] = Math.max(-clipX, Math.min(clipX, X.data[i])) + noiseStd * rng.normal();
    for (let i = 0; i < N; i++) y[i] = Math.max(-clipY, Math.min(clipY, y[i])) + noiseStd * rng.normal();
    Object.assign(observation, { epsilon: p.epsilon, privacy: { mechanism: 'gaussian-input' as const, delta: p.delta, clipX, clipY, noiseStd } });
  }
  return { observation, truth: { w, Xtest, ytest } };
}
