import { Matrix, matmul } from '../../linalg/index.js';
import { gaussianMatrix, haarOrthogonal, type Rng } from '../../random/index.js';
import type { Instance } from '../../plugin/family.js';
import { badParam, haarOrthonormal } from '../common.js';
import type { DictionaryLearningObservation, DictionaryLearningParams, DictionaryLearningTruth } from './schema.js';

const fail = (field: string, problem: string) => badParam('dictionary-learning', field, problem);

/** Paper 05's tree: orthonormal parents p_i, children c_ij = cos β p_i + sin β u_ij with u_ij orthonormal and ⊥ all parents. */
function hierarchy(p: DictionaryLearningParams, rng: Rng): { D: Matrix; parent: number[] } {
  const P = p.parents, C = p.children, K = P * (1 + C);
  if (p.n < K) throw fail('n', `= ${p.n} is too small for ${P} parents with ${C} children each; need n >= ${K}`);
  const B = haarOrthonormal(p.n, K, rng);
  const D = Matrix.zeros(p.n, K);
  const cb = Math.cos((p.beta * Math.PI) / 180), sb = Math.sin((p.beta * Math.PI) / 180);
  const parent: number[] = [];
  for (let a = 0; a < K; a++) {
    const par = a < P ? -1 : Math.floor((a - P) / C);
    parent.push(par);
    for (let i = 0; i < p.n; i++) D.data[i * K + a] = par < 0 ? B.data[i * K + a] : cb * B.data[i * K + par] + sb * B.data[i * K + a];
  }
  return { D, parent };
}

function amplitude(p: DictionaryLearningParams, rng: Rng): number {
  const z = rng.normal();
  return p.amplitudes === 'gaussian' ? z : (z < 0 ? -1 : 1) * (0.5 + Math.abs(rng.normal()));
}

/**
 * Draws a dictionary (Gaussian with unit columns, Haar orthogonal, or a
 * parent/child tree), sparse codes X (k per column, Bernoulli-Gaussian, or
 * tree-structured) and Y = D X + noise.
 */
export function generateDictionaryLearning(p: DictionaryLearningParams, rng: Rng): Instance<DictionaryLearningObservation, DictionaryLearningTruth> {
  const { n, N } = p;
  let D: Matrix, parent: number[] | undefined;
  if (p.variant === 'hierarchical') {
    if (p.orthogonal) throw fail('orthogonal', "= true is not available for variant 'hierarchical' (children are not orthogonal to their parents)");
    if (p.K !== undefined && p.K !== p.parents * (1 + p.children)) throw fail('K', `= ${p.K} must equal parents·(1 + children) = ${p.parents * (1 + p.children)} for variant 'hierarchical' (or be left out)`);
    ({ D, parent } = hierarchy(p, rng));
  } else if (p.orthogonal) {
    if (p.K !== undefined && p.K !== n) throw fail('K', `= ${p.K} must equal n = ${n} for an orthogonal dictionary (or be left out)`);
    D = haarOrthogonal(n, rng);
  } else {
    const K = p.K ?? 64;
    D = gaussianMatrix(n, K, rng);
    for (let j = 0; j < K; j++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += D.data[i * K + j] ** 2;
      s = Math.sqrt(s);
      for (let i = 0; i < n; i++) (D.data as Float64Array)[i * K + j] /= s;
    }
  }
  const K = D.cols;
  const atoms = p.atoms ?? K;
  if (p.variant === 'coding-only' && atoms !== K) throw fail('atoms', `= ${atoms} must equal K = ${K} for variant 'coding-only' (the dictionary is given)`);
  if (p.variant !== 'hierarchical' && p.theta === undefined && p.k > K) throw fail('k', `= ${p.k} exceeds the ${K} atoms`);

  const X = Matrix.zeros(K, N);
  const x = X.data as Float64Array;
  for (let j = 0; j < N; j++) {
    if (parent) {
      for (let i = 0; i < p.parents; i++) {
        if (rng.uniform() >= p.parentProb) continue;
        x[i * N + j] = 1.5 + 0.25 * rng.normal();
        const c = p.parents + i * p.children + rng.int(p.children);
        x[c * N + j] = 1.5 + 0.25 * rng.normal();
      }
    } else if (p.theta !== undefined) {
      for (let a = 0; a < K; a++) if (rng.uniform() < p.theta) x[a * N + j] = amplitude(p, rng);
    } else {
      for (const a of rng.sampleWithoutReplacement(K, p.k)) x[a * N + j] = amplitude(p, rng);
    }
  }
  const Y = matmul(D, X);
  if (p.snrDb !== 'inf') {
    const y = Y.data as Float64Array;
    let ss = 0;
    for (const v of y) ss += v * v;
    const std = Math.sqrt(ss / Math.max(y.length, 1)) / Math.pow(10, p.snrDb / 20);
    for (let t = 0; t < y.length; t++) y[t] += std * rng.normal();
  }
  const observation: DictionaryLearningObservation = {
    Y,
    atoms,
    k: p.k,
    ...(p.orthogonal && { orthogonal: true }),
    ...(p.variant === 'coding-only' && { D }),
    ...(p.inferenceK !== undefined && { inferenceK: p.inferenceK }),
  };
  return { observation, truth: { D, X, ...(parent && { parent }) } };
}
