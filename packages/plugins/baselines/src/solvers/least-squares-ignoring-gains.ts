import {
  blindCalibration,
  defineSolver,
  lstsq,
  Matrix,
  NoParams,
  ParsimonyError,
  type BlindCalibrationObservation,
  type BlindCalibrationSolution,
  type SolverContext,
  type Static,
} from '@parsimony/core';

/** Parameters of {@link leastSquaresIgnoringGains}: none (the method has no knob). */
export const LeastSquaresIgnoringGainsParams = NoParams;
export type LeastSquaresIgnoringGainsParams = Static<typeof LeastSquaresIgnoringGainsParams>;

/** What {@link leastSquaresIgnoringGains} returns. */
export interface LeastSquaresIgnoringGainsResult {
  /** The least-squares signal (minimum-norm when the stacked system is rank-deficient). */
  readonly x: Float64Array;
  /** The assumed gains: all ones. */
  readonly d: Float64Array;
  /** Numerical rank of the stacked p·m x n matrix. */
  readonly rank: number;
  /** ‖[y_1; …; y_p] − [A_1; …; A_p] x‖₂. */
  readonly residual: number;
}

/**
 * The uncalibrated reference that blind-calibration methods are measured
 * against (Gribonval, Chardon & Daudet 2012; Ling & Strohmer 2015): ordinary
 * least squares (Legendre 1805, Gauss 1809) under the assumption of unit
 * gains d = 1, solving the stacked
 * least-squares problem min_x Σ_l ‖y_l − A_l x‖₂², i.e. [A_1; …; A_p] x ≈
 * [y_1; …; y_p], by Householder QR (core's `lstsq`; the minimum-norm
 * solution by SVD when p·m < n or the stack is rank-deficient). Exact when
 * the true gains are all equal and there is no noise (the scorer removes
 * the common scale); otherwise its error grows with the gain spread.
 *
 * @param A - the p sensing matrices A_l (m x n each)
 * @param y - the p snapshots y_l (m each)
 * @returns x, d = 1, the rank of the stack and the residual norm
 * @example
 * const { x, d } = leastSquaresIgnoringGains(obs.A, obs.y);
 */
export function leastSquaresIgnoringGains(A: readonly Matrix[], y: readonly Float64Array[]): LeastSquaresIgnoringGainsResult {
  if (A.length === 0) throw new ParsimonyError('PARSIMONY_BAD_OBSERVATION', 'leastSquaresIgnoringGains: A is empty; give at least one snapshot', 'A');
  if (A.length !== y.length) {
    throw new ParsimonyError('PARSIMONY_BAD_OBSERVATION', `leastSquaresIgnoringGains: y has ${y.length} snapshots, A has ${A.length} matrices`, 'y');
  }
  const { rows: m, cols: n } = A[0];
  A.forEach((Al, l) => {
    if (Al.rows !== m || Al.cols !== n) {
      throw new ParsimonyError('PARSIMONY_BAD_OBSERVATION', `leastSquaresIgnoringGains: A[${l}] is ${Al.rows}x${Al.cols}, A[0] is ${m}x${n}`, `A[${l}]`);
    }
    if (y[l].length !== m) {
      throw new ParsimonyError('PARSIMONY_BAD_OBSERVATION', `leastSquaresIgnoringGains: y[${l}] has ${y[l].length} entries, A[${l}] has ${m} rows`, `y[${l}]`);
    }
  });
  const p = A.length;
  const stack = Matrix.zeros(p * m, n);
  const rhs = new Float64Array(p * m);
  A.forEach((Al, l) => {
    stack.data.set(Al.data, l * m * n);
    rhs.set(y[l], l * m);
  });
  const { x, rank } = lstsq(stack, rhs);
  let rr = 0;
  for (let i = 0; i < p * m; i++) {
    let s = rhs[i];
    const o = i * n;
    for (let j = 0; j < n; j++) s -= stack.data[o + j] * x[j];
    rr += s * s;
  }
  return { x, d: new Float64Array(m).fill(1), rank, residual: Math.sqrt(rr) };
}

/** The bench entry: one least-squares solve, gains reported as ones. */
export function solveLeastSquaresIgnoringGains(obs: BlindCalibrationObservation, _params: LeastSquaresIgnoringGainsParams, ctx: SolverContext): BlindCalibrationSolution {
  ctx.signal.throwIfAborted();
  const { x, d, residual } = leastSquaresIgnoringGains(obs.A, obs.y);
  ctx.report({ iteration: 1, residual });
  return { x, d };
}

/** `baselines/least-squares-ignoring-gains`: {@link leastSquaresIgnoringGains} as a registered solver. */
export const leastSquaresIgnoringGainsSolver = defineSolver({
  id: 'baselines/least-squares-ignoring-gains',
  family: blindCalibration,
  title: 'Least squares ignoring the gains',
  summary: 'Assume unit sensor gains and solve the stacked least-squares problem for the signal: the uncalibrated reference of blind calibration.',
  params: LeastSquaresIgnoringGainsParams,
  solve: solveLeastSquaresIgnoringGains,
});
