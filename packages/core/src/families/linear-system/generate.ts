import { CsrMatrix, Matrix, csrMatvec, dot, lstsq, matmul, matvec, nrm2, qr, solve } from '../../linalg/index.js';
import type { Rng } from '../../random/index.js';
import type { Instance } from '../../plugin/family.js';
import { badParam, betaSample } from '../common.js';
import { labelPropagationGrid } from '../label-propagation.js';
import type { LinearSystemEntry, LinearSystemObservation, LinearSystemParams, LinearSystemTruth } from './schema.js';

const fail = (field: string, problem: string) => badParam('linear-system', field, problem);

/** The 5-point Laplacian on a g x g interior grid (4 on the diagonal, -1 to each neighbour), plus shift·I. */
export function poisson2d(g: number, shift = 0): CsrMatrix {
  const ri: number[] = [], ci: number[] = [], v: number[] = [];
  for (let r = 0; r < g; r++)
    for (let c = 0; c < g; c++) {
      const i = r * g + c;
      const put = (j: number, w: number) => {
        ri.push(i);
        ci.push(j);
        v.push(w);
      };
      if (r > 0) put(i - g, -1);
      if (c > 0) put(i - 1, -1);
      put(i, 4 + shift);
      if (c + 1 < g) put(i + 1, -1);
      if (r + 1 < g) put(i + g, -1);
    }
  return CsrMatrix.fromTriplets(g * g, g * g, ri, ci, v);
}

/** Smallest eigenvalue of the g x g 5-point Laplacian: 4 - 4 cos(π/(g+1)). */
function poissonLambdaMin(g: number): number {
  return 4 - 4 * Math.cos(Math.PI / (g + 1));
}

/** N(0, 1) truncated to [-3, 3] (rejection). */
function truncatedNormal(n: number, rng: Rng): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let z: number;
    do z = rng.normal();
    while (Math.abs(z) > 3);
    out[i] = z;
  }
  return out;
}

/**
 * x* of (A + shift·I) x = b for the g x g 5-point Laplacian A by fast
 * diagonalization: A = (S ⊗ S) Λ (S ⊗ S) with S the orthonormal DST-I matrix
 * S_jk = √(2/(g+1)) sin(π (j+1)(k+1)/(g+1)) and Λ_(j,k) = 4 - 2cos(π(j+1)/(g+1)) - 2cos(π(k+1)/(g+1)).
 * With b reshaped to a g x g grid B: X = S ((S B S) ./ (Λ + shift)) S, four
 * GEMMs (4 g³ flops), backward stable, and exact up to rounding.
 */
export function poissonSolve(g: number, shift: number, b: Float64Array): Float64Array {
  const S = Matrix.zeros(g, g);
  const h = Math.PI / (g + 1), c = Math.sqrt(2 / (g + 1));
  for (let j = 0; j < g; j++) for (let k = 0; k < g; k++) S.data[j * g + k] = c * Math.sin(h * (j + 1) * (k + 1));
  const B = Matrix.from(g, g, b.slice());
  const T = matmul(matmul(S, B), S);
  for (let j = 0; j < g; j++)
    for (let k = 0; k < g; k++) T.data[j * g + k] /= 4 - 2 * Math.cos(h * (j + 1)) - 2 * Math.cos(h * (k + 1)) + shift;
  return matmul(matmul(S, T), S).data as Float64Array;
}

/** Dense test matrices: SPD GᵀG/n + 0.1 I (cond ≈ 40), or nonsymmetric G/√n + 3 I (eigenvalues in the disc |z - 3| <= 1). */
function denseMatrix(n: number, spd: boolean, rng: Rng): Matrix {
  const G = Matrix.zeros(n, n);
  rng.fillNormal(G.data as Float64Array);
  if (spd) {
    const A = matmul(G, G, { transA: true });
    for (let i = 0; i < A.data.length; i++) A.data[i] /= n;
    for (let i = 0; i < n; i++) A.data[i * n + i] += 0.1;
    // Exactly symmetric, whatever order the GEMM summed in.
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) A.data[j * n + i] = A.data[i * n + j];
    return A;
  }
  const s = 1 / Math.sqrt(n);
  for (let i = 0; i < G.data.length; i++) G.data[i] *= s;
  for (let i = 0; i < n; i++) G.data[i * n + i] += 3;
  return G;
}

/**
 * x* of an SPD CSR system by Jacobi-preconditioned conjugate gradients, run
 * until the true residual is below 1e-14 ||b|| (a reference solve, like
 * sparse-optimization's coordinate descent; not a solver for the bench).
 */
function cgReference(H: CsrMatrix, b: Float64Array): Float64Array {
  const n = H.rows;
  const dinv = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let t = H.indptr[i]; t < H.indptr[i + 1]; t++) if (H.indices[t] === i) dinv[i] = 1 / H.data[t];
  const x = new Float64Array(n), r = b.slice(), z = new Float64Array(n), p = new Float64Array(n), q = new Float64Array(n);
  const bn = nrm2(b);
  // Restarts from the true residual guard against the drift of the recursive one.
  for (let restart = 0; restart < 20; restart++) {
    for (let i = 0; i < n; i++) p[i] = z[i] = dinv[i] * r[i];
    let rz = dot(r, z);
    for (let it = 0; it < 10 * n && nrm2(r) > 1e-15 * bn; it++) {
      csrMatvec(H, p, false, q);
      const alpha = rz / dot(p, q);
      for (let i = 0; i < n; i++) {
        x[i] += alpha * p[i];
        r[i] -= alpha * q[i];
        z[i] = dinv[i] * r[i];
      }
      const rz1 = dot(r, z);
      for (let i = 0; i < n; i++) p[i] = z[i] + (rz1 / rz) * p[i];
      rz = rz1;
    }
    csrMatvec(H, x, false, q);
    for (let i = 0; i < n; i++) r[i] = b[i] - q[i];
    if (nrm2(r) <= 1e-14 * bn) return x;
  }
  throw new Error('linear-system: the reference CG solve of the label-propagation system did not reach 1e-14');
}

function leastSquares(p: LinearSystemParams, rng: Rng): { A: Matrix; b: Float64Array } {
  const { rows: N, cols: d } = p;
  if (N < d) throw fail('rows', `= ${N} must be >= cols = ${d} for an overdetermined least-squares system`);
  if (p.design === 'scaled') {
    // Paper 21 (a): a_ij = N(0, 1)·s_j with s_j = exp(N(0, 1)), so the L_j = ||A_j||² differ by orders of magnitude; b ~ N(0, I).
    const s = new Float64Array(d);
    for (let j = 0; j < d; j++) s[j] = Math.exp(rng.normal());
    const A = Matrix.zeros(N, d);
    rng.fillNormal(A.data as Float64Array);
    for (let i = 0; i < N * d; i++) A.data[i] *= s[i % d];
    const b = new Float64Array(N);
    rng.fillNormal(b);
    return { A, b };
  }
  const A = Matrix.zeros(N, d);
  const xt = new Float64Array(d);
  rng.fillNormal(xt);
  if (p.design === 'gaussian') {
    rng.fillNormal(A.data as Float64Array);
    const b = matvec(A, xt);
    for (let i = 0; i < N; i++) b[i] += rng.normal();
    return { A, b };
  }
  if (N < d + 8) throw fail('rows', `= ${N} must be >= cols + 8 = ${d + 8} for design 'coherent' (8 spiked rows outside the first d)`);
  // [10 I_d; G], G with N(0, 0.01) entries: the first d rows carry high leverage.
  for (let i = 0; i < d; i++) A.data[i * d + i] = 10;
  for (let i = d * d; i < N * d; i++) A.data[i] = 0.1 * rng.normal();
  // A residual of spikes (size √N on 8 rows past the first d) and small noise, projected off range(A) so x* stays x_true.
  const r = new Float64Array(N);
  for (let i = 0; i < N; i++) r[i] = 0.01 * rng.normal();
  for (const i of rng.sampleWithoutReplacement(N - d, 8)) r[d + i] += Math.sqrt(N) * (rng.uniform() < 0.5 ? -1 : 1);
  const { Q } = qr(A);
  const qr_ = matvec(Q, matvec(Q, r, true));
  const b = matvec(A, xt);
  for (let i = 0; i < N; i++) b[i] += r[i] - qr_[i];
  return { A, b };
}

/**
 * Draws one square system (Poisson, dense, or paper 21's label propagation),
 * a sequence A_t = A + c_t I of shifted Poisson systems (paper 25), or an
 * overdetermined least-squares problem (papers 24 and 21), and computes every
 * x* in core (fast diagonalization for Poisson, CG to 1e-14 for label
 * propagation, core `solve` and `lstsq` otherwise).
 */
export function generateLinearSystem(p: LinearSystemParams, rng: Rng): Instance<LinearSystemObservation, LinearSystemTruth> {
  if (p.variant === 'least-squares') {
    const { A, b } = leastSquares(p, rng);
    return { observation: { kind: 'least-squares', A, b, ...(p.gradTol !== undefined && { tol: p.gradTol }) }, truth: { xstar: [lstsq(A, b).x] } };
  }
  if (p.variant === 'single') {
    if (p.matrix === 'label-propagation') {
      const { H, c } = labelPropagationGrid(p.grid, p.labelled, rng, 'sign');
      return { observation: { kind: 'single', Acsr: H, b: c, tol: p.tol, grid: { rows: p.grid, cols: p.grid } }, truth: { xstar: [cgReference(H, c)] } };
    }
    if (p.matrix === 'poisson') {
      const A = poisson2d(p.grid);
      const b = truncatedNormal(A.rows, rng);
      return { observation: { kind: 'single', Acsr: A, b, tol: p.tol }, truth: { xstar: [poissonSolve(p.grid, 0, b)] } };
    }
    const A = denseMatrix(p.n, p.matrix === 'dense-spd', rng);
    const b = truncatedNormal(p.n, rng);
    const x = solve(A, b);
    return { observation: { kind: 'single', A, b, tol: p.tol }, truth: { xstar: [x] } };
  }
  if (p.matrix !== 'poisson') throw fail('matrix', `= '${p.matrix}' is not available for variant 'sequence'; use 'poisson'`);
  const g = p.grid;
  const scale = poissonLambdaMin(g) / poissonLambdaMin(10);
  const sequence: LinearSystemEntry[] = [];
  const xstar: Float64Array[] = [];
  for (let t = 0; t < p.count; t++) {
    const c = scale * (-0.15 + 0.6 * betaSample(rng, p.shiftA, p.shiftB));
    const Acsr = poisson2d(g, c);
    const b = truncatedNormal(g * g, rng);
    sequence.push({ Acsr, b, ...(p.context && { context: c }) });
    xstar.push(poissonSolve(g, c, b));
  }
  return { observation: { kind: 'sequence', sequence, tol: p.tol }, truth: { xstar } };
}
