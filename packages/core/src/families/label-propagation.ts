/**
 * The label-propagation quadratic on a g x g grid graph (paper 21 (b)),
 * shared by `linear-system` (the SPD system H x = c) and `sparse-optimization`
 * (its quadratic form with a penalty):
 *
 *   f(x) = Σ_{(i,j)∈E} (x_i - x_j)² + c_L Σ_{i labelled} (x_i - y_i)² + 10⁻³ ||x||²,
 *
 * with unit edge weights and c_L = 10, so H = ∇²f = 2(L + c_L D_lab + 10⁻³ I)
 * (L the grid Laplacian, D_lab the indicator of labelled nodes) and c = 2 c_L y_lab.
 */
import { CsrMatrix } from '../linalg/index.js';
import type { Rng } from '../random/index.js';

/** How labels y are drawn: ±1, or graded ±U[0.5, 1.5]. */
export type LabelKind = 'sign' | 'graded';

/**
 * Builds H (CSR, symmetric positive definite) and c of the label-propagation
 * quadratic on a g x g grid: node (r, s) is unknown r·g + s; `labelled`·n
 * nodes, drawn without replacement, carry a label.
 *
 * @param g - grid side (n = g²)
 * @param labelled - fraction of labelled nodes, in (0, 1]
 * @param rng - the instance's stream: the labelled set, then one draw per label (two for 'graded')
 * @param labels - 'sign' (±1, the paper's) or 'graded' (±U[0.5, 1.5])
 * @returns H and c with f(x) = ½xᵀHx - cᵀx + const
 * @example
 * labelPropagationGrid(3, 0.5, createRng(1), 'sign').H.rows // => 9
 */
export function labelPropagationGrid(g: number, labelled: number, rng: Rng, labels: LabelKind): { H: CsrMatrix; c: Float64Array } {
  const n = g * g, cL = 10;
  const ri: number[] = [], ci: number[] = [], v: number[] = [];
  const add = (i: number, j: number, w: number) => {
    ri.push(i);
    ci.push(j);
    v.push(w);
  };
  for (let r = 0; r < g; r++)
    for (let s = 0; s < g; s++) {
      const i = r * g + s;
      add(i, i, 2e-3);
      for (const j of [s + 1 < g ? i + 1 : -1, r + 1 < g ? i + g : -1]) {
        if (j < 0) continue;
        // Edge (i, j): (x_i - x_j)² contributes 2 to H_ii, H_jj and -2 to H_ij, H_ji.
        add(i, i, 2);
        add(j, j, 2);
        add(i, j, -2);
        add(j, i, -2);
      }
    }
  const c = new Float64Array(n);
  const lab = rng.sampleWithoutReplacement(n, Math.max(1, Math.round(labelled * n)));
  for (const i of lab) {
    // Graded label magnitudes (sparse-optimization): with ±1 labels every labelled
    // node would enter the support at the same λ, and no λ could give a small support.
    const sign = rng.uniform() < 0.5 ? -1 : 1;
    const y = labels === 'graded' ? sign * (0.5 + rng.uniform()) : sign;
    add(i, i, 2 * cL);
    c[i] = 2 * cL * y;
  }
  return { H: CsrMatrix.fromTriplets(n, n, ri, ci, v), c };
}
