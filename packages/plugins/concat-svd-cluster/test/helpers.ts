import { createRng, gaussianMatrix, haarOrthogonal, matmul, Matrix, svd } from '@parsimony/core';

/** The bench task `low-rank-approximation/concat-svd-cluster` (paper file: m = 64, 60 blocks of 8 columns, 6 groups of dimension 4, r = 16, ε = 0.1). */
export const TASK = { variant: 'set', m: 64, rank: 16, errorBound: 0.1, errorBoundMode: 'soft', blocks: 60, blockCols: 8, groups: 6, groupDim: 4 } as const;
/** A small set for the conformance kit and unit tests. */
export const SMALL = { variant: 'set', m: 24, rank: 6, errorBound: 0.1, errorBoundMode: 'soft', blocks: 12, blockCols: 3, groups: 3, groupDim: 3 } as const;

/** Exact relative rank-r error of [A_i]: √(Σ_{j>r} σ_j²) / ||M||_F (core svd). */
export function exactError(blocks: readonly Matrix[], r: number): number {
  const m = blocks[0].rows, cols = blocks.reduce((s, b) => s + b.cols, 0);
  const M = Matrix.zeros(m, cols);
  let off = 0;
  for (const b of blocks) {
    for (let i = 0; i < m; i++) for (let j = 0; j < b.cols; j++) M.data[i * cols + off + j] = b.data[i * b.cols + j];
    off += b.cols;
  }
  const { s } = svd(M);
  let tail = 0, total = 0;
  s.forEach((v, j) => {
    total += v * v;
    if (j >= r) tail += v * v;
  });
  return total > 0 ? Math.sqrt(tail / total) : 0;
}

/** Random blocks m x k_i, each of rank <= d, in random subspaces, with scales spread over a decade. */
export function randomBlocks(seed: number, m: number, ks: readonly number[], d: number): Matrix[] {
  const rng = createRng('concat-svd-cluster/test', seed);
  return ks.map((k) => {
    const A = matmul(gaussianMatrix(m, Math.min(d, k), rng), gaussianMatrix(Math.min(d, k), k, rng));
    const s = Math.exp(2 * rng.uniform());
    A.data.forEach((v, t) => (A.data[t] = s * v + 0.01 * rng.normal()));
    return A;
  });
}

/** Blocks A_i = Q_i C_i whose column spaces Q_i (m x k_i) are mutually orthogonal columns of one Haar matrix. */
export function orthogonalBlocks(seed: number, m: number, ks: readonly number[]): Matrix[] {
  const rng = createRng('concat-svd-cluster/orthogonal', seed);
  const H = haarOrthogonal(m, rng);
  let off = 0;
  return ks.map((k) => {
    const Q = Matrix.zeros(m, k);
    for (let i = 0; i < m; i++) for (let j = 0; j < k; j++) Q.data[i * k + j] = H.data[i * m + off + j];
    off += k;
    return matmul(Q, gaussianMatrix(k, k, rng));
  });
}

/** The rank-r product U V_iᵀ of a factor pair. */
export const product = (f: { U: Matrix; V: Matrix }): Matrix => matmul(f.U, f.V, { transB: true });
