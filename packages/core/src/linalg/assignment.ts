import { ParsimonyError } from '../schema/errors.js';
import type { Matrix } from './matrix.js';

/**
 * The Hungarian method (Kuhn 1955; Munkres 1957) for the linear assignment
 * problem min_π Σ_i C[i, π(i)] over injective π: rows → columns, in its
 * O(n² m) shortest-augmenting-path form with dual potentials u, v (Edmonds &
 * Karp 1972; Tomizawa 1971): row i is added by a Dijkstra search over
 * reduced costs C[i, j] − u_i − v_j ≥ 0 to the nearest free column, the
 * potentials are raised by the distances (keeping every reduced cost
 * non-negative and the matched ones zero), and the path is flipped. O(n³)
 * for a square n x n cost matrix.
 *
 * @param cost - n x m costs, n <= m, all finite (row-major)
 * @returns `assign[i]` = the column of row i; Σ_i cost[i, assign[i]] is minimal
 * @example
 * hungarian(Matrix.fromRows([[4, 1, 3], [2, 0, 5], [3, 2, 2]])); // => Int32Array [1, 0, 2] (cost 5)
 */
export function hungarian(cost: Matrix): Int32Array {
  const { rows: n, cols: m, data: c } = cost;
  if (!Number.isInteger(n) || !Number.isInteger(m) || c?.length !== n * m) {
    throw new ParsimonyError('PARSIMONY_BAD_INPUT', `hungarian: cost must be a Matrix {rows, cols, data} with rows·cols entries (got ${n}x${m} with ${c?.length} entries)`, 'cost');
  }
  if (n > m) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `hungarian: cost is ${n}x${m}; needs rows <= cols (transpose it to assign columns to rows)`, 'cost');
  for (let t = 0; t < c.length; t++) {
    if (!Number.isFinite(c[t])) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `hungarian: cost[${Math.floor(t / m)}][${t % m}] = ${c[t]}; costs must be finite (use a large finite cost to forbid a pair)`, `cost.data[${t}]`);
  }
  // Potentials: u per row, v per column; column m is a virtual start with v = 0.
  const u = new Float64Array(n), v = new Float64Array(m + 1);
  const rowOf = new Int32Array(m + 1).fill(-1); // the row matched to each column
  const prev = new Int32Array(m + 1); // the previous column on the shortest path
  const dist = new Float64Array(m + 1);
  const done = new Uint8Array(m + 1);
  const start = m;
  for (let i = 0; i < n; i++) {
    // Dijkstra from row i (through the virtual column) to the first free column.
    rowOf[start] = i;
    dist.fill(Infinity);
    done.fill(0);
    let j0 = start;
    do {
      done[j0] = 1;
      const r = rowOf[j0], o = r * m;
      let delta = Infinity, j1 = -1;
      for (let j = 0; j < m; j++) {
        if (done[j]) continue;
        const reduced = c[o + j] - u[r] - v[j];
        if (reduced < dist[j]) {
          dist[j] = reduced;
          prev[j] = j0;
        }
        if (dist[j] < delta) {
          delta = dist[j];
          j1 = j;
        }
      }
      // Raise the potentials of the settled tree by delta: reduced costs stay >= 0.
      for (let j = 0; j <= m; j++) {
        if (done[j]) {
          u[rowOf[j]] += delta;
          v[j] -= delta;
        } else {
          dist[j] -= delta;
        }
      }
      j0 = j1;
    } while (rowOf[j0] !== -1);
    // Flip the augmenting path back to the start.
    while (j0 !== start) {
      const j1 = prev[j0];
      rowOf[j0] = rowOf[j1];
      j0 = j1;
    }
  }
  const assign = new Int32Array(n);
  for (let j = 0; j < m; j++) if (rowOf[j] !== -1) assign[rowOf[j]] = j;
  return assign;
}
