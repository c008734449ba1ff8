/**
 * Message passing on forest-structured blocks (Nutini, Laradji & Schmidt
 * 2017, message-passing updates for huge blocks): when the block b induces a forest in the graph of the sparse H,
 * H_bb d = -g_b is solved in O(|b|·degree) by Gaussian elimination from the
 * leaves to the roots and back-substitution from the roots to the leaves
 * (for a path, the Thomas algorithm). Also the paper's greedy forest: add
 * coordinates by decreasing g_i²/L_i while the block stays acyclic.
 */
import { ParsimonyError, type CsrMatrix } from '@parsimony/core';

/** How a forest block is eliminated: see {@link ForestSolver.plan}. */
export interface ForestPlan {
  readonly order: Int32Array;
  readonly parent: Int32Array;
  readonly weight: Float64Array;
}

/** Solves H_bb d = -r_b on forest blocks of one sparse symmetric H; scratch is allocated once. */
export class ForestSolver {
  private readonly pos: Int32Array;
  private readonly scratch: ForestPlan;
  private readonly piv: Float64Array;
  private readonly rhs: Float64Array;
  private readonly uf: Int32Array;

  constructor(
    private readonly H: CsrMatrix,
    private readonly diag: Float64Array,
  ) {
    const n = H.rows;
    this.pos = new Int32Array(n);
    this.scratch = { order: new Int32Array(n), parent: new Int32Array(n), weight: new Float64Array(n) };
    this.piv = new Float64Array(n);
    this.rhs = new Float64Array(n);
    this.uf = new Int32Array(n);
  }

  /**
   * The elimination plan of a forest block: a breadth-first order of each
   * tree (block positions), each node's parent position (-1 for a root) and
   * the weight H_{v,parent}. Throws when the block has a cycle. Reused by
   * fixed blocks; greedy blocks plan into the solver's scratch.
   */
  plan(block: Int32Array, k: number, into?: ForestPlan): ForestPlan {
    const { pos } = this;
    const { indptr, indices, data } = this.H;
    const plan = into ?? { order: new Int32Array(k), parent: new Int32Array(k), weight: new Float64Array(k) };
    const { order, parent, weight } = plan;
    for (let a = 0; a < k; a++) pos[block[a]] = a + 1;
    parent.fill(-2, 0, k);
    let tail = 0;
    try {
      for (let a = 0; a < k; a++) {
        if (parent[a] !== -2) continue;
        parent[a] = -1;
        order[tail++] = a;
        for (let head = tail - 1; head < tail; head++) {
          const v = order[head], i = block[v];
          for (let t = indptr[i]; t < indptr[i + 1]; t++) {
            const p = pos[indices[t]] - 1;
            if (p < 0 || p === v || p === parent[v]) continue;
            // A second path to a visited node closes a cycle: this block is not a forest.
            if (parent[p] !== -2) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `bcd-greedy: the block is not a forest in the graph of H (a cycle through unknown ${indices[t]})`, 'params.partition');
            parent[p] = v;
            weight[p] = data[t];
            order[tail++] = p;
          }
        }
      }
    } finally {
      for (let a = 0; a < k; a++) pos[block[a]] = 0;
    }
    return plan;
  }

  /**
   * d = -H_bb⁻¹ r_b for the block's first k coordinates: elimination of each
   * node into its parent in reverse breadth-first order, then
   * back-substitution (the plan is made here unless given).
   *
   * @param r - indexed by coordinate (the gradient g)
   * @param d - out, indexed by block position
   */
  solve(block: Int32Array, k: number, r: Float64Array, d: Float64Array, plan?: ForestPlan): void {
    const { order, parent, weight } = plan ?? this.plan(block, k, this.scratch);
    const { piv, rhs, diag } = this;
    for (let a = 0; a < k; a++) {
      piv[a] = diag[block[a]];
      rhs[a] = -r[block[a]];
    }
    // Leaves to roots: fold node v into its parent p (the messages of Gaussian belief propagation).
    for (let t = k - 1; t >= 0; t--) {
      const v = order[t], p = parent[v];
      if (p < 0) continue;
      const f = weight[v] / piv[v];
      piv[p] -= f * weight[v];
      rhs[p] -= f * rhs[v];
    }
    for (let t = 0; t < k; t++) {
      const v = order[t], p = parent[v];
      d[v] = (rhs[v] - (p >= 0 ? weight[v] * d[p] : 0)) / piv[v];
    }
  }

  private find(v: number): number {
    const uf = this.uf;
    while (uf[v] !== v) {
      uf[v] = uf[uf[v]];
      v = uf[v];
    }
    return v;
  }

  /**
   * The greedy forest: coordinates in the given order (best first) join the
   * block while it stays acyclic (a coordinate may join when its neighbours
   * in the block lie in distinct trees: union-find), until `size` of them.
   *
   * @returns how many joined (block[0..k))
   */
  greedyForest(ranked: Int32Array, size: number, block: Int32Array): number {
    const { pos, uf } = this;
    const { indptr, indices } = this.H;
    const roots: number[] = [];
    let k = 0;
    for (let t = 0; t < ranked.length && k < size; t++) {
      const v = ranked[t];
      roots.length = 0;
      let ok = true;
      for (let e = indptr[v]; e < indptr[v + 1] && ok; e++) {
        const u = indices[e];
        if (u === v || pos[u] === 0) continue;
        const ru = this.find(u);
        if (roots.includes(ru)) ok = false;
        else roots.push(ru);
      }
      if (!ok) continue;
      pos[v] = ++k;
      block[k - 1] = v;
      uf[v] = v;
      for (const ru of roots) uf[ru] = v;
    }
    for (let a = 0; a < k; a++) pos[block[a]] = 0;
    return k;
  }
}
