import { Matrix, matvec, nrm2 } from '../../linalg/index.js';
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
    let prev = rng.normal();
    a.data[o] = prev;
    for (let j = 1; j < cols; j++) {
      prev = rho * prev + s * rng.normal();
      a.data[o + j] = prev;
    }
  }
  return a;
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

  const X = ar1Design(N, d, p.rho, rng);
  const w = new Float64Array(d);
  const supp = rng.sampleWithoutReplacement(d, k);
  for (let i = 0; i < k; i++) w[supp[i]] = p.amplitudes === 'unit' ? (rng.uniform() < 0.5 ? -1 : 1) : rng.normal();
  const y = responses(X, w, p, rng);
  const Xtest = ar1Design(p.nTest, d, p.rho, rng);
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
