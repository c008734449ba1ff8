import type { Rng } from '../../random/rng.js';
import { Matrix } from '../../linalg/matrix.js';
import { matvec, nrm2 } from '../../linalg/blas.js';
import { ParsimonyError } from '../../schema/errors.js';
import type { Instance } from '../../plugin/family.js';
import type { SparseRecoveryObservation, SparseRecoveryParams, SparseRecoveryTruth } from './schema.js';

function gaussian(rows: number, cols: number, scale: number, rng: Rng): Matrix {
  const a = Matrix.zeros(rows, cols);
  rng.fillNormal(a.data as Float64Array, 0, scale);
  return a;
}

/** Rows of the orthonormal DCT-II matrix, chosen at random, scaled to unit-norm columns in expectation. */
function partialDct(m: number, n: number, rng: Rng): Matrix {
  const rows = Array.from(rng.sampleWithoutReplacement(n, m)).sort((a, b) => a - b);
  const a = Matrix.zeros(m, n);
  const scale = Math.sqrt(n / m);
  for (let i = 0; i < m; i++) {
    const f = rows[i];
    const c = (f === 0 ? Math.sqrt(1 / n) : Math.sqrt(2 / n)) * scale;
    for (let j = 0; j < n; j++) a.data[i * n + j] = c * Math.cos((Math.PI * (2 * j + 1) * f) / (2 * n));
  }
  return a;
}

/** Kronecker product A1 ⊗ A2. */
export function kron(a1: Matrix, a2: Matrix): Matrix {
  const out = Matrix.zeros(a1.rows * a2.rows, a1.cols * a2.cols);
  const nc = out.cols;
  for (let i1 = 0; i1 < a1.rows; i1++)
    for (let j1 = 0; j1 < a1.cols; j1++) {
      const v = a1.data[i1 * a1.cols + j1];
      for (let i2 = 0; i2 < a2.rows; i2++) {
        const row = (i1 * a2.rows + i2) * nc + j1 * a2.cols;
        const src = i2 * a2.cols;
        for (let j2 = 0; j2 < a2.cols; j2++) out.data[row + j2] = v * a2.data[src + j2];
      }
    }
  return out;
}

function support(n: number, k: number, blockSize: number, rng: Rng): Int32Array {
  if (blockSize === 1) return rng.sampleWithoutReplacement(n, k);
  const blocks = rng.sampleWithoutReplacement(n / blockSize, Math.ceil(k / blockSize));
  const out = new Int32Array(k);
  for (let i = 0; i < k; i++) out[i] = blocks[Math.floor(i / blockSize)] * blockSize + (i % blockSize);
  return out;
}

/** The i-th nonzero value (i counts from 0): the `amplitudes` law, made positive for `nonnegative`. */
function amplitude(p: SparseRecoveryParams, i: number, rng: Rng): number {
  let v: number;
  if (p.amplitudes === 'gaussian') v = rng.normal();
  else if (p.amplitudes === 'unit') v = rng.uniform() < 0.5 ? -1 : 1;
  else v = (rng.uniform() < 0.5 ? -1 : 1) * Math.pow(i + 1, -1);
  return p.nonnegative ? Math.abs(v) : v;
}

/**
 * Factor shapes of a Kronecker A: `kroneckerRows`/`kroneckerCols` (I factors)
 * when given, else the two factors m1 x n1 and m/m1 x n/n1.
 */
function kroneckerShape(p: SparseRecoveryParams, bad: (field: string, msg: string) => ParsimonyError): { rows: number[]; cols: number[] } {
  const { m, n } = p;
  if (p.kroneckerRows || p.kroneckerCols) {
    const rows = p.kroneckerRows, cols = p.kroneckerCols;
    if (!rows) throw bad('kroneckerRows', 'is missing; give kroneckerRows together with kroneckerCols');
    if (!cols) throw bad('kroneckerCols', 'is missing; give kroneckerCols together with kroneckerRows');
    if (rows.length !== cols.length) throw bad('kroneckerCols', `has ${cols.length} entries, kroneckerRows has ${rows.length}; give one (rows, cols) pair per factor`);
    const pm = rows.reduce((a, b) => a * b, 1), pn = cols.reduce((a, b) => a * b, 1);
    if (pm !== m) throw bad('kroneckerRows', `multiply to ${rows.join('·')} = ${pm}, not m = ${m}`);
    if (pn !== n) throw bad('kroneckerCols', `multiply to ${cols.join('·')} = ${pn}, not n = ${n}`);
    return { rows: [...rows], cols: [...cols] };
  }
  const m1 = p.kroneckerM1, n1 = p.kroneckerN1;
  if (m % m1 !== 0) throw bad('kroneckerM1', `= ${m1} must divide m = ${m}`);
  if (n % n1 !== 0) throw bad('kroneckerN1', `= ${n1} must divide n = ${n}`);
  return { rows: [m1, m / m1], cols: [n1, n / n1] };
}

/** Draws (A, y = A x + e) with x k-sparse; see the family README for the ensembles. */
export function generateSparseRecovery(p: SparseRecoveryParams, rng: Rng): Instance<SparseRecoveryObservation, SparseRecoveryTruth> {
  const { m, n, k } = p;
  const bad = (field: string, msg: string) => new ParsimonyError('PARSIMONY_BAD_PARAMS', `sparse-recovery: params.${field} ${msg}`, `params.${field}`);
  if (k > n) throw bad('k', `= ${k} exceeds n = ${n}`);
  if (n % p.blockSize !== 0) throw bad('blockSize', `= ${p.blockSize} must divide n = ${n}`);
  if (p.matrix === 'partial-dct' && m > n) throw bad('m', `= ${m} exceeds n = ${n}; a partial DCT has at most n rows`);

  const kronSparsity = p.kroneckerSparsity;
  if (kronSparsity && p.matrix !== 'kronecker') throw bad('kroneckerSparsity', `needs matrix = 'kronecker' (got '${p.matrix}')`);
  if (kronSparsity && p.blockSize !== 1) throw bad('blockSize', `= ${p.blockSize}: a Kronecker-structured signal (kroneckerSparsity) has no block support; use blockSize 1`);

  let A: Matrix;
  let factors: Matrix[] | undefined;
  switch (p.matrix) {
    case 'gaussian':
      A = gaussian(m, n, 1 / Math.sqrt(m), rng);
      break;
    case 'bernoulli': {
      A = Matrix.zeros(m, n);
      const s = 1 / Math.sqrt(m);
      for (let i = 0; i < A.data.length; i++) A.data[i] = rng.uniform() < 0.5 ? -s : s;
      break;
    }
    case 'partial-dct':
      A = partialDct(m, n, rng);
      break;
    case 'kronecker': {
      const { rows, cols } = kroneckerShape(p, bad);
      // Each factor has unit-norm columns in expectation, so A does too.
      factors = rows.map((mi, i) => gaussian(mi, cols[i], 1 / Math.sqrt(mi), rng));
      A = factors.reduce((acc, f) => kron(acc, f));
      break;
    }
  }

  let x: Float64Array;
  if (kronSparsity) {
    // x = x_1 ⊗ … ⊗ x_I, each x_i K_i-sparse: supp(x) is the Kronecker product of the supports.
    const cols = factors!.map((f) => f.cols);
    if (kronSparsity.length !== cols.length) throw bad('kroneckerSparsity', `has ${kronSparsity.length} entries; expected one per factor (${cols.length})`);
    kronSparsity.forEach((ki, i) => {
      if (ki > cols[i]) throw bad(`kroneckerSparsity[${i}]`, `= ${ki} exceeds the ${cols[i]} columns of factor ${i}`);
    });
    const prod = kronSparsity.reduce((a, b) => a * b, 1);
    if (prod !== k) throw bad('k', `= ${k} must equal the product of kroneckerSparsity (${kronSparsity.join('·')} = ${prod})`);
    const parts = kronSparsity.map((ki, i) => {
      const xi = Matrix.zeros(cols[i], 1);
      const si = rng.sampleWithoutReplacement(cols[i], ki);
      for (let t = 0; t < ki; t++) xi.data[si[t]] = amplitude(p, t, rng);
      return xi;
    });
    x = parts.reduce((acc, xi) => kron(acc, xi)).data;
  } else {
    x = new Float64Array(n);
    const supp = support(n, k, p.blockSize, rng);
    for (let i = 0; i < k; i++) x[supp[i]] = amplitude(p, i, rng);
  }

  const y = matvec(A, x);
  let noiseStd = 0;
  if (p.snrDb !== 'inf' && k > 0) {
    noiseStd = nrm2(y) / Math.sqrt(m) / Math.pow(10, p.snrDb / 20);
    for (let i = 0; i < m; i++) y[i] += noiseStd * rng.normal();
  }

  const observation: SparseRecoveryObservation = {
    A,
    y,
    k,
    noiseStd,
    ...(factors && { structure: { kind: 'kronecker' as const, factors, ...(kronSparsity && { sparsity: [...kronSparsity] }) } }),
    ...(p.blockSize > 1 && { structure: { kind: 'blocks' as const, size: p.blockSize } }),
    ...(p.nonnegative && { nonnegative: true }),
  };
  return { observation, truth: { x } };
}
