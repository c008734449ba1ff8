import type { SparseOptimizationPenalty } from './schema.js';

/** The shape parameter in use: SCAD a (default 3.7), MCP γ (default 3). */
export function penaltyShape(p: SparseOptimizationPenalty): number {
  return p.shape ?? (p.kind === 'scad' ? 3.7 : 3);
}

/**
 * p(t) for t = |x| >= 0: l1 λt; SCAD (Fan & Li 2001) λt on [0, λ],
 * (2aλt - t² - λ²)/(2(a-1)) on (λ, aλ], λ²(a+1)/2 beyond; MCP (Zhang 2010)
 * λt - t²/(2γ) on [0, γλ], γλ²/2 beyond.
 *
 * @example
 * penaltyAt({ kind: 'mcp', lambda: 1, shape: 3 }, 10) // => 1.5
 */
export function penaltyAt(p: SparseOptimizationPenalty, t: number): number {
  const l = p.lambda;
  if (p.kind === 'l1') return l * t;
  const s = penaltyShape(p);
  if (p.kind === 'scad') {
    if (t <= l) return l * t;
    if (t <= s * l) return (2 * s * l * t - t * t - l * l) / (2 * (s - 1));
    return (l * l * (s + 1)) / 2;
  }
  return t <= s * l ? l * t - (t * t) / (2 * s) : (s * l * l) / 2;
}

/** P(x) = Σ_j p(|x_j|). */
export function penaltySum(p: SparseOptimizationPenalty, x: Float64Array): number {
  let s = 0;
  for (let j = 0; j < x.length; j++) s += penaltyAt(p, Math.abs(x[j]));
  return s;
}

/**
 * argmin_x ½v(x - z)² + p(|x|) for curvature v > 0, exactly: the minimizer has
 * the sign of z, and on each piece of p the objective is a quadratic in t = |x|,
 * so the global minimum is the best of the pieces' clipped stationary points
 * (or endpoints, where a piece is concave). This also covers v <= 1/(a-1) (SCAD)
 * and v <= 1/γ (MCP), where the usual closed forms break down.
 *
 * @example
 * prox1d({ kind: 'l1', lambda: 1 }, 3, 2) // => 2.5
 */
export function prox1d(p: SparseOptimizationPenalty, z: number, v: number): number {
  const a = Math.abs(z), sg = z < 0 ? -1 : 1, l = p.lambda;
  if (p.kind === 'l1') return sg * Math.max(a - l / v, 0);
  const s = penaltyShape(p);
  const f = (t: number) => 0.5 * v * (t - a) * (t - a) + penaltyAt(p, t);
  const cands: number[] = [];
  // Minimizer of ½v(t - a)² + αt - βt² on [lo, hi] (curvature v - 2β).
  const piece = (alpha: number, beta: number, lo: number, hi: number) => {
    const curv = v - 2 * beta;
    if (curv > 0) cands.push(Math.min(hi, Math.max(lo, (v * a - alpha) / curv)));
    else cands.push(lo, hi);
  };
  if (p.kind === 'scad') {
    piece(l, 0, 0, l);
    piece((s * l) / (s - 1), 1 / (2 * (s - 1)), l, s * l);
    cands.push(Math.max(a, s * l));
  } else {
    piece(l, 1 / (2 * s), 0, s * l);
    cands.push(Math.max(a, s * l));
  }
  let best = 0, fb = f(0);
  for (const t of cands) {
    const ft = f(t);
    if (ft < fb || (ft === fb && t < best)) {
      best = t;
      fb = ft;
    }
  }
  return sg * best;
}
