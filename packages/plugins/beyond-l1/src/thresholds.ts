/**
 * The paper's four thresholding operators T (the proximal maps of the
 * penalties compared), applied entrywise after a gradient step of size η on
 * ½‖y − Φr‖². τ = λη for all but CEL0, as in the authors' code.
 */

/** Which penalty's thresholding: ℓ1 (soft), ℓ0 (hard), ℓ1/2 (half), CEL0. */
export type Operator = 'soft' | 'hard' | 'half' | 'cel0';

/** The operators, in the paper's order. */
export const OPERATORS: readonly Operator[] = ['soft', 'hard', 'half', 'cel0'];

/** 54^{1/3}/4: the ℓ1/2 threshold is this times τ^{2/3} (Xu et al. 2012). */
const HALF_C = Math.cbrt(54) / 4;

/**
 * Applies T in place on `u[off .. off+len)`, returns the number of nonzeros left.
 *
 * - soft: sign(u)·max(|u| − λη, 0)
 * - hard: u·1{|u| ≥ √(λη)} (the code's √(λη), not √(2λη))
 * - half: 0 if |u| ≤ (54^{1/3}/4)(λη)^{2/3}, else (2/3)u(1 + cos(2π/3 − (2/3)φ)), φ = arccos((λη/8)(|u|/3)^{−3/2})
 * - cel0 (unit atoms): sign(u)·min(|u|, max(|u| − √(2λ)η, 0)/(1 − η)); all zero when η ≥ 1, as the code does
 *
 * @param op - the operator
 * @param u - values, overwritten with T(u)
 * @param lambda - the penalty weight λ (> 0)
 * @param eta - the gradient step η (> 0)
 * @returns the count of nonzero entries of T(u)
 * @example
 * const u = new Float64Array([0.5, -2, 3]);
 * applyThreshold('soft', u, 1, 1); // u = [0, -1, 2], returns 2
 */
export function applyThreshold(op: Operator, u: Float64Array, lambda: number, eta: number, off = 0, len = u.length - off): number {
  const end = off + len;
  const tau = lambda * eta;
  let nnz = 0;
  switch (op) {
    case 'soft':
      for (let i = off; i < end; i++) {
        const v = u[i], a = Math.abs(v) - tau;
        if (a > 0) {
          u[i] = v > 0 ? a : -a;
          nnz++;
        } else u[i] = 0;
      }
      return nnz;
    case 'hard': {
      const t = Math.sqrt(tau);
      for (let i = off; i < end; i++) {
        if (Math.abs(u[i]) >= t && u[i] !== 0) nnz++;
        else u[i] = 0;
      }
      return nnz;
    }
    case 'half': {
      const t = HALF_C * Math.pow(tau, 2 / 3);
      for (let i = off; i < end; i++) {
        const v = u[i], a = Math.abs(v);
        if (a <= t) {
          u[i] = 0;
          continue;
        }
        const phi = Math.acos(Math.min(1, (tau / 8) * Math.pow(a / 3, -1.5)));
        u[i] = (2 / 3) * v * (1 + Math.cos((2 * Math.PI) / 3 - (2 / 3) * phi));
        if (u[i] !== 0) nnz++;
      }
      return nnz;
    }
    case 'cel0': {
      // As the authors' code: CEL0's prox needs a²η < 1 (a = 1 here); return 0 otherwise.
      if (!(eta < 1)) {
        u.fill(0, off, end);
        return 0;
      }
      const t = Math.sqrt(2 * lambda) * eta, s = 1 / (1 - eta);
      for (let i = off; i < end; i++) {
        const v = u[i], a = Math.abs(v);
        const w = Math.min(a, Math.max(a - t, 0) * s);
        u[i] = v > 0 ? w : -w;
        if (w > 0) nnz++;
      }
      return nnz;
    }
  }
}

/**
 * The smallest λ at which T(η c) = 0 for every |c| ≤ m: from a zero start the
 * codes then stay zero, so the density is 0 (the top of the λ search).
 *
 * @param op - the operator
 * @param m - max |Φᵀy| over the data
 * @param eta - the gradient step η
 * @returns λ_max
 * @example
 * lambdaMax('soft', 2, 0.5); // => 2
 */
export function lambdaMax(op: Operator, m: number, eta: number): number {
  const u = eta * m;
  switch (op) {
    case 'soft':
      return m; // λη ≥ ηm
    case 'hard':
      return ((u * u) / eta) * (1 + 1e-12); // √(λη) > ηm: the hard threshold keeps |u| = √(λη)
    case 'half':
      return Math.pow(u / HALF_C, 1.5) / eta; // C (λη)^{2/3} ≥ ηm
    case 'cel0':
      return (m * m) / 2; // √(2λ)η ≥ ηm
  }
}
