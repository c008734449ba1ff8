import { fwht, haarOrthogonal, matmul, Matrix, ParsimonyError, type Rng } from '@parsimony/core';

/** How the vectors are rotated before scalar quantization. */
export type RotationKind = 'dense' | 'hadamard';

/** A random orthogonal map Π of ℝᵈ, applied to the rows of a matrix. */
export interface Rotation {
  readonly d: number;
  readonly kind: RotationKind;
  /** Rows y_i = Π x_i (a new matrix). */
  apply(X: Matrix): Matrix;
  /** Rows x_i = Πᵀ y_i (a new matrix). */
  applyT(Y: Matrix): Matrix;
}

/** Rounds of sign flips and Walsh–Hadamard transforms in {@link hadamardRotation}. */
const HADAMARD_ROUNDS = 3;

/**
 * The paper's rotation: Π is the Q factor of the QR of a d x d Gaussian
 * matrix, with the signs fixed by diag(R) (Haar-distributed; core's
 * `haarOrthogonal`). Applying it to N rows is one GEMM, O(N d²).
 *
 * @example
 * denseRotation(8, createRng(1)).apply(X); // rows Π x_i
 */
export function denseRotation(d: number, rng: Rng): Rotation {
  const P = haarOrthogonal(d, rng);
  return {
    d,
    kind: 'dense',
    apply: (X) => matmul(X, P, { transB: true }),
    applyT: (Y) => matmul(Y, P),
  };
}

/**
 * A randomized Hadamard rotation Π = ∏ (H D_r)/√d over three rounds of
 * random sign diagonals D_r and the orthonormal Walsh–Hadamard transform H
 * (core's `fwht`): O(d log d) per vector instead of O(d²). The paper allows
 * it as the fast option; d must be a power of two.
 */
export function hadamardRotation(d: number, rng: Rng): Rotation {
  if ((d & (d - 1)) !== 0) {
    throw new ParsimonyError('PARSIMONY_BAD_PARAMS', `params.rotation = 'hadamard' needs a power-of-two dimension, got d = ${d}; use rotation 'dense'`, 'params.rotation');
  }
  const signs = new Float64Array(HADAMARD_ROUNDS * d);
  for (let t = 0; t < signs.length; t++) signs[t] = rng.uniform() < 0.5 ? -1 : 1;
  const run = (X: Matrix, inverse: boolean): Matrix => {
    const Y = Matrix.clone(X);
    for (let i = 0; i < Y.rows; i++) {
      const row = Y.data.subarray(i * d, (i + 1) * d);
      for (let r = 0; r < HADAMARD_ROUNDS; r++) {
        // Π = H D₃ H D₂ H D₁, so Πᵀ = D₁ H D₂ H D₃ H (H is symmetric and its own inverse).
        const round = inverse ? HADAMARD_ROUNDS - 1 - r : r;
        const s = signs.subarray(round * d, (round + 1) * d);
        if (inverse) fwht(row, { orthonormal: true });
        for (let j = 0; j < d; j++) row[j] *= s[j];
        if (!inverse) fwht(row, { orthonormal: true });
      }
    }
    return Y;
  };
  return { d, kind: 'hadamard', apply: (X) => run(X, false), applyT: (Y) => run(Y, true) };
}

/** The rotation of the given kind. */
export function makeRotation(kind: RotationKind, d: number, rng: Rng): Rotation {
  return kind === 'hadamard' ? hadamardRotation(d, rng) : denseRotation(d, rng);
}
