import { Matrix, matmul, normSpectral } from '../../linalg/index.js';
import { gaussianMatrix, haarOrthogonal, type Rng } from '../../random/index.js';
import type { Instance } from '../../plugin/family.js';
import { badParam, haarOrthonormal } from '../common.js';
import { orthDefect } from './score.js';
import type { OrthogonalAlignmentObservation, OrthogonalAlignmentParams, OrthogonalAlignmentTruth } from './schema.js';

/** Xb = Xa T + noise·E. */
function targets(Xa: Matrix, T: Matrix, noise: number, rng: Rng): Matrix {
  const Xb = matmul(Xa, T);
  if (noise > 0) for (let t = 0; t < Xb.data.length; t++) (Xb.data as Float64Array)[t] += noise * rng.normal();
  return Xb;
}

/**
 * Draws the true map T (Haar orthogonal, a permutation, or Q(I + εG)),
 * Gaussian source rows (optionally near a low-dimensional subspace for
 * training), and noisy targets Xb = Xa T + noise·E, for training and test.
 */
export function generateOrthogonalAlignment(p: OrthogonalAlignmentParams, rng: Rng): Instance<OrthogonalAlignmentObservation, OrthogonalAlignmentTruth> {
  const { d } = p;
  if (p.trainRank !== undefined && p.trainRank > d) throw badParam('orthogonal-alignment', 'trainRank', `= ${p.trainRank} exceeds d = ${d}`);
  let T: Matrix;
  if (p.constraint === 'permutation') {
    T = Matrix.zeros(d, d);
    // Column perm[i] of Xb is column i of Xa.
    rng.permutation(d).forEach((j, i) => ((T.data as Float64Array)[i * d + j] = 1));
  } else {
    T = haarOrthogonal(d, rng);
    if (p.constraint === 'relaxed' && p.epsilon > 0) {
      const G = gaussianMatrix(d, d, rng);
      const s = p.epsilon / normSpectral(G);
      const IG = Matrix.eye(d);
      for (let t = 0; t < IG.data.length; t++) (IG.data as Float64Array)[t] += s * G.data[t];
      T = matmul(T, IG);
    }
  }
  let Xa: Matrix;
  if (p.trainRank !== undefined) {
    // Rows near a random trainRank-dimensional subspace: Z Pᵀ + 0.02·ξ.
    const P = haarOrthonormal(d, p.trainRank, rng);
    Xa = matmul(gaussianMatrix(p.N, p.trainRank, rng), P, { transB: true });
    for (let t = 0; t < Xa.data.length; t++) (Xa.data as Float64Array)[t] += 0.02 * rng.normal();
  } else {
    Xa = gaussianMatrix(p.N, d, rng);
  }
  const Xb = targets(Xa, T, p.noise, rng);
  const XaTest = gaussianMatrix(p.nTest, d, rng);
  const XbTest = targets(XaTest, T, p.noise, rng);
  const lambda = p.constraint === 'relaxed' ? (p.lambda ?? Math.ceil(orthDefect(T) * 100) / 100) : undefined;
  return {
    observation: { Xa, Xb, constraint: p.constraint, ...(lambda !== undefined && { lambda }) },
    truth: { Q: T, XaTest, XbTest },
  };
}
