// Linear-algebra benchmark: @parsimony/core's TypeScript kernels against
// ml-matrix, in the same process, one thread. Run from packages/core:
//
//   npm run bench:linalg            (builds dist/, then runs this file)
//   node bench/linalg.mjs [--quick] (reuses the last build)
//
// Inputs come from fixed seeds and are built outside the timed body. Each
// case is warmed up, then ours and ml-matrix run alternately and the best
// process CPU time of each is kept: on a shared machine CPU time is the work
// of one core, while wall time also counts waiting for the CPU. Every result
// is checked for finiteness so no work can be skipped. Times are printed,
// never asserted.
import os from 'node:os';
import {
  Matrix as MlMatrix,
  CholeskyDecomposition,
  EigenvalueDecomposition,
  LuDecomposition,
  QrDecomposition,
  SingularValueDecomposition,
} from 'ml-matrix';
import { cholesky, choleskySolve, eigh, gram, lu, matmul, qr, setSimdEnabled, simdEnabled, svd } from '../dist/linalg/index.js';
import { createRng, gaussianMatrix } from '../dist/random/index.js';

const quick = process.argv.includes('--quick');

/** A Gaussian matrix from a fixed seed, ours and ml-matrix's copy of it. */
function input(m, n, seed) {
  const a = gaussianMatrix(m, n, createRng('bench/linalg', seed));
  const rows = [];
  for (let i = 0; i < m; i++) rows.push(Array.from(a.data.subarray(i * n, (i + 1) * n)));
  return { ours: a, ml: new MlMatrix(rows) };
}

function symmetric(n, seed) {
  const { ours } = input(n, n, seed);
  const d = ours.data;
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) d[i * n + j] = d[j * n + i];
  const rows = [];
  for (let i = 0; i < n; i++) rows.push(Array.from(d.subarray(i * n, (i + 1) * n)));
  return { ours, ml: new MlMatrix(rows) };
}

function spd(n, seed) {
  const x = input(n, n, seed).ours;
  const g = gram(x);
  for (let i = 0; i < n; i++) g.data[i * n + i] += n;
  const rows = [];
  for (let i = 0; i < n; i++) rows.push(Array.from(g.data.subarray(i * n, (i + 1) * n)));
  return { ours: g, ml: new MlMatrix(rows) };
}

function finite(values) {
  for (const v of values) if (!Number.isFinite(v)) throw new Error('benchmark produced a non-finite value');
}

function ml2flat(m) {
  return m.to1DArray();
}

/** CPU time of one call in ms (this process, all threads: the work of one core, even when other processes compete for it). */
function cpuMs(fn) {
  const t0 = process.cpuUsage();
  const out = fn();
  const u = process.cpuUsage(t0);
  finite(out);
  return (u.user + u.system) / 1e3;
}

const cases = [];
function add(name, size, flops, ours, ml, reps) {
  cases.push({ name, size, flops, ours, ml, reps });
}

// GEMM: 2 n³ flops.
for (const n of quick ? [256] : [256, 1024]) {
  const a = input(n, n, 1), b = input(n, n, 2);
  add(`core:matmul:n=${n}`, `${n}x${n}`, 2 * n ** 3, () => matmul(a.ours, b.ours).data, () => ml2flat(a.ml.mmul(b.ml)), n > 500 ? 3 : 10);
}
{
  const [m, n] = quick ? [500, 100] : [1000, 200];
  const a = input(m, n, 3);
  // Thin QR, Q and R formed on both sides: dgeqrf + dorgqr = 4mn² - 4n³/3.
  add(`core:qr:n=${m}x${n}`, `${m}x${n}`, 4 * m * n * n - (4 * n ** 3) / 3, () => {
    const { Q, R } = qr(a.ours);
    return [Q.data[0], R.data[0]];
  }, () => {
    const d = new QrDecomposition(a.ml);
    return [d.orthogonalMatrix.get(0, 0), d.upperTriangularMatrix.get(0, 0)];
  }, 5);
  // Thin SVD with U and V: nominal R-SVD count 6mn² + 20n³ (Golub & Van Loan, Table 8.6.1).
  add(`core:svd:n=${m}x${n}`, `${m}x${n}`, 6 * m * n * n + 20 * n ** 3, () => svd(a.ours).s, () => {
    const d = new SingularValueDecomposition(a.ml, { autoTranspose: true });
    return d.diagonal;
  }, 3);
}
{
  const n = quick ? 256 : 512;
  const s = symmetric(n, 4);
  // Symmetric eigenvalues and vectors: nominal 9n³ (Golub & Van Loan, §8.3).
  add(`core:eigh:n=${n}`, `${n}x${n}`, 9 * n ** 3, () => eigh(s.ours).values, () => new EigenvalueDecomposition(s.ml, { assumeSymmetric: true }).realEigenvalues, 3);
  const p = spd(n, 5);
  const b = input(n, 1, 6);
  // Cholesky (n³/3) and two triangular solves (2n²).
  add(`core:cholesky-solve:n=${n}`, `${n}x${n}`, n ** 3 / 3 + 2 * n * n, () => choleskySolve(cholesky(p.ours), b.ours.data), () => ml2flat(new CholeskyDecomposition(p.ml).solve(b.ml)), 10);
  // LU with partial pivoting: 2n³/3.
  add(`core:lu:n=${n}`, `${n}x${n}`, (2 * n ** 3) / 3, () => lu(p.ours).U.data.subarray(0, 1), () => [new LuDecomposition(p.ml).upperTriangularMatrix.get(0, 0)], 5);
}

const rows = [];
const simd = simdEnabled();
/** CPU time of `fn` with the WebAssembly SIMD kernels on or off. */
const withSimd = (on, fn) => () => {
  const was = setSimdEnabled(on);
  try {
    return fn();
  } finally {
    setSimdEnabled(was);
  }
};
for (const c of cases) {
  // Warm up all, then alternate them so all see the same machine load; keep each one's best run.
  const oursSimd = withSimd(true, c.ours), oursTs = withSimd(false, c.ours);
  finite(oursSimd());
  finite(oursTs());
  finite(c.ml());
  let ours = Infinity, ts = Infinity, ml = Infinity;
  for (let r = 0; r < c.reps; r++) {
    if (simd) ours = Math.min(ours, cpuMs(oursSimd));
    ts = Math.min(ts, cpuMs(oursTs));
    if (r < Math.max(2, Math.min(c.reps, 3))) ml = Math.min(ml, cpuMs(c.ml));
  }
  if (!simd) ours = ts;
  rows.push({ ...c, oursMs: ours, tsMs: ts, mlMs: ml });
  process.stderr.write(`  ${c.name}: ${ours.toFixed(1)} ms (TypeScript kernels ${ts.toFixed(1)}) vs ml-matrix ${ml.toFixed(1)} ms\n`);
}

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
console.log(`\nNode ${process.version}, ${cpu}, load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')} (best CPU time of N runs, one thread; WebAssembly SIMD ${simd ? 'on' : 'unavailable'})\n`);
console.log('| operation | size | ours (ms) | TypeScript kernels only (ms) | ml-matrix (ms) | speed-up vs ml-matrix | GFLOP/s |');
console.log('|---|---|---:|---:|---:|---:|---:|');
for (const r of rows) {
  const gf = r.flops / (r.oursMs * 1e6);
  console.log(`| ${r.name} | ${r.size} | ${r.oursMs.toFixed(1)} | ${r.tsMs.toFixed(1)} | ${r.mlMs.toFixed(1)} | ${(r.mlMs / r.oursMs).toFixed(1)}x | ${gf.toFixed(2)} |`);
}
