import { eigh, gemmStrided, gram, matmul, Matrix, ParsimonyError, qr, svd, type LowRankFactors } from '@parsimony/core';

/**
 * The "seed + grow" clustering shared by the three algorithms of the paper
 * (official code: src/clustering/max_norm.py, residuals.py, approximate.py):
 * sort the blocks by Frobenius norm, seed a cluster with the largest block(s)
 * (at most r columns), grow it with candidates while a predictor says the
 * rank-r error of the concatenation stays <= ε, remove it, repeat; then one
 * exact truncated SVD per cluster gives the shared left factor.
 */

/** Candidate order after the seed: `norm` = smallest norm first; `residual` = smallest ||(I - QQᵀ)A||_F first. */
export type Ordering = 'norm' | 'residual';

/** Predicts the rank-r relative error of a growing cluster; built from a seed. */
export interface Predictor {
  /** The prediction for the seed alone. */
  readonly initial: number;
  /** Appends block `i` and returns the prediction for the grown cluster (the state keeps the block even when the caller then rejects it). */
  add(i: number): number;
  /** ||(I - QQᵀ) A_i||_F against the current basis, for the `residual` ordering. */
  residualNorm?(i: number): number;
}

/** Builds a predictor for a seed (block indices, largest first). */
export type PredictorFactory = (seed: readonly number[]) => Predictor;

/** Options every clustering shares. */
export interface ClusteringOptions {
  /** Target rank r of every cluster's truncated SVD. */
  readonly rank: number;
  /** ε: the largest relative error ||M_C - [M_C]_r||_F / ||M_C||_F a cluster may have (default 0.1, as in the official code). */
  readonly errorBound?: number;
  /** Seeds in a row that take no candidate before all remaining blocks become singletons (default 10). */
  readonly patience?: number;
  /** Polled before every candidate; aborts with the signal's reason. */
  readonly signal?: AbortSignal;
  /** Called after each cluster is closed. */
  readonly onCluster?: (cluster: number, size: number, predicted: number, remaining: number) => void;
}

/** What a clustering returns. */
export interface ClusteringResult {
  /** Block indices of each cluster: the seed first, then the blocks in the order they were taken. */
  readonly clusters: number[][];
  /** The predicted relative error of each cluster when it was closed (the bound, or the estimate for `approximate`). */
  readonly predicted: number[];
  /** The relative error ||M_C - U Uᵀ M_C||_F / ||M_C||_F of the returned factors, per cluster. */
  readonly errors: number[];
  /** One {U, V} per block, M̂_i = U V_iᵀ; the blocks of a cluster share one U (the same object). */
  readonly factors: LowRankFactors[];
}

/** Blocks, their column counts and squared norms, validated. */
export interface BlockSet {
  readonly blocks: readonly Matrix[];
  readonly m: number;
  readonly normsSq: Float64Array;
  readonly maxCols: number;
}

const EPS = 2 ** -52;

/** Squared Frobenius norm of a buffer. */
export function sumSq(a: Float64Array, n = a.length): number {
  let s = 0;
  for (let t = 0; t < n; t++) s += a[t] * a[t];
  return s;
}

/** Validates the blocks (non-empty list, equal row counts, finite) and measures them. */
export function blockSet(where: string, blocks: readonly Matrix[]): BlockSet {
  if (!Array.isArray(blocks) || blocks.length === 0) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `${where}: Ms must be a non-empty list of matrices`, 'Ms');
  const m = blocks[0].rows;
  const normsSq = new Float64Array(blocks.length);
  let maxCols = 0;
  blocks.forEach((A, i) => {
    if (A.rows !== m) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `${where}: Ms[${i}] has ${A.rows} rows, Ms[0] has ${m}; blocks are concatenated side by side and need equal row counts`, `Ms[${i}]`);
    if (A.cols < 1) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `${where}: Ms[${i}] has no columns`, `Ms[${i}]`);
    normsSq[i] = sumSq(A.data);
    if (!Number.isFinite(normsSq[i])) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `${where}: Ms[${i}] has a non-finite entry (or overflows)`, `Ms[${i}]`);
    maxCols = Math.max(maxCols, A.cols);
  });
  return { blocks, m, normsSq, maxCols };
}

/** Checks rank, errorBound and patience, naming the option. */
export function checkOptions(where: string, o: ClusteringOptions): { rank: number; eps: number; patience: number } {
  const eps = o.errorBound ?? 0.1, patience = o.patience ?? 10;
  if (!Number.isInteger(o.rank) || o.rank < 1) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `${where}: options.rank = ${o.rank}; expected an integer >= 1`, 'options.rank');
  if (!(eps > 0)) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `${where}: options.errorBound = ${eps}; expected a number > 0`, 'options.errorBound');
  if (!Number.isInteger(patience) || patience < 1) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `${where}: options.patience = ${patience}; expected an integer >= 1`, 'options.patience');
  return { rank: o.rank, eps, patience };
}

/** Horizontal concatenation [A_i]_{i ∈ idx}. */
export function hcat(blocks: readonly Matrix[], idx: readonly number[]): Matrix {
  const m = blocks[idx[0]].rows;
  let cols = 0;
  for (const i of idx) cols += blocks[i].cols;
  const out = new Float64Array(m * cols);
  let off = 0;
  for (const i of idx) {
    const { cols: k, data } = blocks[i];
    for (let r = 0; r < m; r++) out.set(data.subarray(r * k, (r + 1) * k), r * cols + off);
    off += k;
  }
  return { rows: m, cols, data: out };
}

/** Block indices by Frobenius norm, largest first (ties: lower index first). */
export function byNormDesc(normsSq: Float64Array): number[] {
  return Array.from(normsSq.keys()).sort((a, b) => normsSq[b] - normsSq[a] || a - b);
}

/**
 * The seed: the first (largest) block, plus the next largest while the seed
 * keeps at most r columns (`_order_and_prepare_first_block`).
 */
export function seedOf(blocks: readonly Matrix[], order: readonly number[], r: number): number[] {
  const seed = [order[0]];
  let cols = blocks[order[0]].cols;
  for (let i = 1; cols < r && i < order.length; i++) {
    const k = blocks[order[i]].cols;
    if (cols + k > r) break;
    seed.push(order[i]);
    cols += k;
  }
  return seed;
}

/**
 * Runs seed + grow until every block is in a cluster (`_cluster_blocks`):
 * candidates in `ordering`, the first one whose prediction exceeds ε ends the
 * cluster; after `patience` seeds in a row that took nothing, the remaining
 * blocks become singletons.
 */
export function greedyClusters(set: BlockSet, start: PredictorFactory, ordering: Ordering, o: ClusteringOptions): { clusters: number[][]; predicted: number[] } {
  const { rank: r, eps, patience } = checkOptions('clustering', o);
  const { blocks } = set;
  let available = byNormDesc(set.normsSq);
  const clusters: number[][] = [], predicted: number[] = [];
  let idle = 0;
  while (available.length > 0) {
    o.signal?.throwIfAborted();
    const seed = seedOf(blocks, available, r);
    const rest = available.slice(seed.length);
    const p = start(seed);
    let candidates: number[];
    if (ordering === 'norm') candidates = rest.reverse();
    else {
      const res = new Map(rest.map((i) => [i, p.residualNorm!(i)] as const));
      candidates = rest.sort((a, b) => res.get(a)! - res.get(b)! || a - b);
    }
    const taken: number[] = [];
    let pred = p.initial;
    for (const c of candidates) {
      o.signal?.throwIfAborted();
      const e = p.add(c);
      if (e > eps) break;
      taken.push(c);
      pred = e;
    }
    if (taken.length === 0) {
      idle++;
      if (idle >= patience) {
        // Patience reached: every remaining block (this seed's too) is its own cluster.
        for (const i of available) {
          clusters.push([i]);
          predicted.push(blocks[i].cols <= r ? 0 : start([i]).initial);
        }
        o.onCluster?.(clusters.length - 1, 1, 0, 0);
        break;
      }
    } else idle = 0;
    const cluster = [...seed, ...taken];
    clusters.push(cluster);
    predicted.push(pred);
    const inCluster = new Set(cluster);
    available = available.filter((i) => !inCluster.has(i));
    o.onCluster?.(clusters.length - 1, cluster.length, pred, available.length);
  }
  return { clusters, predicted };
}

/**
 * The exact rank-r truncated SVD of each cluster's concatenation M_C, from the
 * eigendecomposition of M_C M_Cᵀ (m x m) as in the paper: U = the top r
 * eigenvectors, shared by the cluster's blocks, V_i = A_iᵀ U (with fewer
 * columns than rows, the same subspace from the smaller M_Cᵀ M_C). A cluster
 * of at most r columns is kept exactly, with U from a thin QR.
 * Also returns each cluster's relative error ||M_C - U Uᵀ M_C||_F / ||M_C||_F.
 */
export function clusterFactors(set: BlockSet, clusters: readonly (readonly number[])[], r: number, signal?: AbortSignal): { factors: LowRankFactors[]; errors: number[] } {
  const { blocks, m } = set;
  const factors: LowRankFactors[] = new Array(blocks.length);
  const errors: number[] = [];
  for (const c of clusters) {
    signal?.throwIfAborted();
    const M = hcat(blocks, c);
    const k = Math.min(r, M.cols, m);
    let U: Matrix;
    if (M.cols <= k) {
      // At most r columns: M̂ = M exactly, and any orthonormal basis of the columns (thin QR) gives the same U Uᵀ M as the SVD, much cheaper.
      U = qr(M).Q;
    } else if (M.cols < m) {
      // Fewer columns than rows: the same subspace from the smaller Gram M_Cᵀ M_C = W diag(λ) Wᵀ, U = orth(M_C W_r).
      const n = M.cols;
      const { vectors } = eigh(gram(M));
      const W = Matrix.zeros(n, k);
      for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) W.data[i * k + j] = vectors.data[i * n + (n - 1 - j)];
      U = qr(matmul(M, W)).Q;
    } else {
      const { vectors } = eigh(gram(M, { trans: true }));
      U = Matrix.zeros(m, k);
      // eigh sorts ascending: column m-1-j holds the j-th largest eigenvector.
      for (let i = 0; i < m; i++) for (let j = 0; j < k; j++) U.data[i * k + j] = vectors.data[i * m + (m - 1 - j)];
    }
    let total = 0, kept = 0;
    for (const i of c) {
      const V = matmul(blocks[i], U, { transA: true });
      factors[i] = { U, V };
      total += set.normsSq[i];
      kept += sumSq(V.data);
    }
    errors.push(total > 0 ? Math.sqrt(Math.max(0, total - kept) / total) : 0);
  }
  return { factors, errors };
}

/** Energy of the top-r singular values of a matrix (one SVD). */
function topEnergy(A: Matrix, r: number): number {
  const { s } = svd(A);
  let e = 0;
  for (let j = 0; j < Math.min(r, s.length); j++) e += s[j] * s[j];
  return e;
}

/** Relative error from the cluster's energy and a lower bound on its top-r energy. */
const relErr = (total: number, lower: number): number => (lower >= total || total <= 0 ? 0 : Math.sqrt((total - lower) / total));

/**
 * Weyl's bound (Alg. 1; `MaxNormClusterAlgorithm`): σ_i(M) >= σ_i(seed) under
 * column extension, and a seed of at most r columns keeps all its energy, so
 * err <= √((||M||²_F - ||seed||²_F) / ||M||²_F). Norms only.
 */
export function weylPredictor(set: BlockSet, r: number): PredictorFactory {
  return (seed) => {
    let total = 0, cols = 0;
    for (const i of seed) {
      total += set.normsSq[i];
      cols += set.blocks[i].cols;
    }
    // Deviation from the code: a seed block wider than r keeps only its top-r energy (one SVD), so the bound stays valid.
    const kept = cols <= r ? total : topEnergy(hcat(set.blocks, seed), r);
    return {
      initial: relErr(total, kept),
      add(i) {
        total += set.normsSq[i];
        return relErr(total, kept);
      },
    };
  };
}

/**
 * The residual bound (Alg. 2; `ResidualsClusterAlgorithm`): an orthonormal
 * basis Q of everything seen so far and a list L of singular-value lower
 * bounds. Each new block contributes the singular values of its residual
 * R = (I - QQᵀ)A (two Gram-Schmidt passes), which live in a subspace
 * orthogonal to all earlier pieces, so by Ky Fan the top-r of L bound the
 * top-r energy of M from below: err <= √((||M||²_F - Σ_top-r L²) / ||M||²_F).
 */
export function residualPredictor(set: BlockSet, r: number): PredictorFactory {
  const { blocks, m, normsSq } = set;
  const kMax = Math.max(set.maxCols, r);
  // Basis vectors as rows of qt (Qᵀ, row-major), so appending one is contiguous.
  const cap = m + kMax;
  const qt = new Float64Array(cap * m);
  const Y = new Float64Array(cap * kMax), R = new Float64Array(m * kMax);
  const dynTol = 10 * EPS * Math.sqrt(Math.max(m, 1));
  return (seed) => {
    let q = 0;
    const S = hcat(blocks, seed);
    let total = 0;
    for (const i of seed) total += normsSq[i];

    /** R = (I - QQᵀ) X, two passes (`_project_away`); X is m x k row-major. */
    const projectAway = (x: Float64Array, k: number, out: Float64Array): void => {
      out.set(x.subarray(0, m * k));
      if (q === 0) return;
      for (let pass = 0; pass < 2; pass++) {
        gemmStrided(false, false, q, k, m, 1, qt, 0, m, out, 0, k, 0, Y, 0, k);
        gemmStrided(true, false, m, k, q, -1, qt, 0, m, Y, 0, k, 1, out, 0, k);
      }
    };
    /** Appends the columns of a thin-QR basis of X whose |R_jj| > eps·max(m, k)·||X||_F (`_orth_basis_pruned`). */
    const appendPruned = (X: Matrix): void => {
      const { Q, R: Rx } = qr(X);
      const kk = Q.cols, tau = EPS * Math.max(X.rows, X.cols) * Math.sqrt(sumSq(X.data));
      for (let j = 0; j < kk; j++) {
        if (!(Math.abs(Rx.data[j * Rx.cols + j]) > tau)) continue;
        for (let i = 0; i < m; i++) qt[q * m + i] = Q.data[i * kk + j];
        q++;
      }
    };
    /** A wide Q (more columns than rows) cannot be orthonormal: re-orthonormalize and prune (`_maybe_reorth_Q`). */
    const maybeReorth = (): void => {
      if (q <= m) return;
      const Qm = Matrix.zeros(m, q);
      for (let j = 0; j < q; j++) for (let i = 0; i < m; i++) Qm.data[i * q + j] = qt[j * m + i];
      const { Q, R: Rq } = qr(Qm);
      let dmax = 0;
      for (let j = 0; j < Q.cols; j++) dmax = Math.max(dmax, Math.abs(Rq.data[j * Rq.cols + j]));
      const tau = EPS * Math.max(m, q) * dmax;
      q = 0;
      for (let j = 0; j < Q.cols; j++) {
        if (!(Math.abs(Rq.data[j * Rq.cols + j]) > tau)) continue;
        for (let i = 0; i < m; i++) qt[q * m + i] = Q.data[i * Q.cols + j];
        q++;
      }
    };

    appendPruned(S);
    let L = Array.from(svd(S).s).sort((a, b) => b - a);
    let lower = 0;
    for (let j = 0; j < Math.min(r, L.length); j++) lower += L[j] * L[j];

    return {
      initial: relErr(total, lower),
      add(i) {
        const A = blocks[i], k = A.cols;
        total += normsSq[i];
        projectAway(A.data, k, R);
        const rr = sumSq(R, m * k);
        // Nothing numerically new: the bound is unchanged (`_estimate_singular_lower_bounds`).
        if (Math.sqrt(rr) > dynTol * Math.sqrt(normsSq[i])) {
          const Rm = { rows: m, cols: k, data: R.slice(0, m * k) };
          const s = svd(Rm).s;
          if (L.length < r || s[0] > L[L.length - 1]) L = [...L, ...s].sort((a, b) => b - a);
          // The new directions: a pruned basis of R, projected once more against Q (`_append_if_new`).
          const before = q;
          appendPruned(Rm);
          const kv = q - before;
          if (kv > 0) {
            const V = Matrix.zeros(m, kv);
            for (let j = 0; j < kv; j++) for (let t = 0; t < m; t++) V.data[t * kv + j] = qt[(before + j) * m + t];
            q = before;
            const Vp = new Float64Array(m * kv);
            projectAway(V.data, kv, Vp);
            if (before > 0 && Math.sqrt(sumSq(Vp)) <= dynTol * Math.sqrt(kv)) {
              // adds nothing
            } else if (before === 0) {
              q = before + kv;
            } else appendPruned({ rows: m, cols: kv, data: Vp });
            maybeReorth();
          }
        }
        if (L.length > r) L.length = r;
        lower = 0;
        for (let j = 0; j < L.length; j++) lower += L[j] * L[j];
        return relErr(total, lower);
      },
      residualNorm(i) {
        const A = blocks[i];
        projectAway(A.data, A.cols, R);
        return Math.sqrt(sumSq(R, m * A.cols));
      },
    };
  };
}

/** Options of the incremental estimator. */
export interface ApproximateSettings {
  /** Extra eigenpairs kept beyond r (default 5). */
  readonly oversampling: number;
  /** Absolute threshold below which eigenvalues and residual rows count as zero (default 1e-12). */
  readonly tol: number;
}

/**
 * The incremental estimator (Alg. 3; `ApproximateClusterAlgorithm`): track
 * M Mᵀ ≈ Q diag(λ) Qᵀ at rank r + p. For a new block, Y = QᵀA, R = A - QY =
 * Q_r B (thin QR, rows of B below tol dropped), then
 * S_ext = [[diag(λ) + YYᵀ, YBᵀ], [BYᵀ, BBᵀ]] is eigendecomposed and the top
 * r + p pairs kept; σ_i ≈ √λ_i, err ≈ √((||M||²_F - Σ_{i<=r} λ_i) / ||M||²_F).
 * Not a guarantee: the truncation drops cross terms.
 */
export function approximatePredictor(set: BlockSet, r: number, settings: ApproximateSettings): PredictorFactory {
  const { blocks, m, normsSq } = set;
  const keepMax = r + settings.oversampling, tol = settings.tol;
  return (seed) => {
    let Q: Matrix | null = null;
    let lam = new Float64Array(0);
    let total = 0;
    for (const i of seed) total += normsSq[i];

    /** Keeps the eigenpairs of S (ascending from eigh) above tol, largest first, at most r + p; Q := basis · U_top. */
    const compress = (basis: Matrix, S: Matrix): void => {
      const { values, vectors } = eigh(S);
      const n = values.length;
      const idx: number[] = [];
      for (let j = n - 1; j >= 0 && idx.length < keepMax; j--) if (Math.max(values[j], 0) > tol) idx.push(j);
      if (idx.length === 0) {
        // Everything vanished numerically: the next block starts afresh, as in the code.
        Q = null;
        lam = new Float64Array(0);
        return;
      }
      const U = Matrix.zeros(n, idx.length);
      for (let i = 0; i < n; i++) for (let c = 0; c < idx.length; c++) U.data[i * idx.length + c] = vectors.data[i * n + idx[c]];
      Q = matmul(basis, U);
      lam = Float64Array.from(idx, (j) => values[j]);
    };
    /** First block: A = Q0 R0, S0 = R0 R0ᵀ. */
    const init = (A: Matrix): void => {
      const { Q: Q0, R: R0 } = qr(A);
      compress(Q0, gram(R0, { trans: true }));
    };
    const lowerEnergy = (): number => {
      let e = 0;
      for (let j = 0; j < Math.min(r, lam.length); j++) e += lam[j];
      return e;
    };

    init(hcat(blocks, seed));
    return {
      initial: relErr(total, lowerEnergy()),
      add(i) {
        const A = blocks[i];
        total += normsSq[i];
        if (Q === null) {
          init(A);
          return relErr(total, lowerEnergy());
        }
        const Qc: Matrix = Q;
        const rc = Qc.cols, k = A.cols;
        const Y = matmul(Qc, A, { transA: true });
        const Rres = Matrix.clone(A);
        gemmStrided(false, false, m, k, rc, -1, Qc.data, 0, rc, Y.data, 0, k, 1, Rres.data, 0, k);
        const { Q: Qr, R: B } = qr(Rres);
        // Rows of B at or below tol are numerically zero directions.
        const keep: number[] = [];
        for (let j = 0; j < B.rows; j++) if (Math.sqrt(sumSq(B.data.subarray(j * k, (j + 1) * k))) > tol) keep.push(j);
        const rr = keep.length, n = rc + rr;
        const S = Matrix.zeros(n, n);
        const YY = gram(Y, { trans: true });
        for (let a = 0; a < rc; a++) for (let b = 0; b < rc; b++) S.data[a * n + b] = YY.data[a * rc + b] + (a === b ? lam[a] : 0);
        for (let a = 0; a < rc; a++)
          for (let c = 0; c < rr; c++) {
            let v = 0;
            const brow = keep[c] * k;
            for (let t = 0; t < k; t++) v += Y.data[a * k + t] * B.data[brow + t];
            S.data[a * n + rc + c] = v;
            S.data[(rc + c) * n + a] = v;
          }
        for (let c = 0; c < rr; c++)
          for (let d = 0; d < rr; d++) {
            let v = 0;
            for (let t = 0; t < k; t++) v += B.data[keep[c] * k + t] * B.data[keep[d] * k + t];
            S.data[(rc + c) * n + rc + d] = v;
          }
        const basis = Matrix.zeros(m, n);
        for (let t = 0; t < m; t++) {
          basis.data.set(Qc.data.subarray(t * rc, (t + 1) * rc), t * n);
          for (let c = 0; c < rr; c++) basis.data[t * n + rc + c] = Qr.data[t * Qr.cols + keep[c]];
        }
        compress(basis, S);
        return relErr(total, lowerEnergy());
      },
      residualNorm(i) {
        const A = blocks[i];
        if (Q === null) return Math.sqrt(normsSq[i]);
        const Qc: Matrix = Q;
        const Y = matmul(Qc, A, { transA: true });
        const Rres = Matrix.clone(A);
        gemmStrided(false, false, m, A.cols, Qc.cols, -1, Qc.data, 0, Qc.cols, Y.data, 0, A.cols, 1, Rres.data, 0, A.cols);
        return Math.sqrt(sumSq(Rres.data));
      },
    };
  };
}

/**
 * The predictor run over one whole cluster, as the code's
 * `compute_error_bound`: the cluster's largest-norm seed, then every other
 * block in the given order; returns the final prediction.
 */
export function clusterPrediction(set: BlockSet, cluster: readonly number[], r: number, start: PredictorFactory, ordering: Ordering): number {
  const normsSq = new Float64Array(cluster.map((i) => set.normsSq[i]));
  const order = byNormDesc(normsSq).map((t) => cluster[t]);
  const seed = seedOf(set.blocks, order, r);
  const rest = order.slice(seed.length);
  const p = start(seed);
  let candidates = rest.reverse();
  if (ordering === 'residual') {
    const res = new Map(rest.map((i) => [i, p.residualNorm!(i)] as const));
    candidates = rest.sort((a, b) => res.get(a)! - res.get(b)! || a - b);
  }
  let e = p.initial;
  for (const c of candidates) e = p.add(c);
  return e;
}
