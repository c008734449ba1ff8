#!/usr/bin/env node
/**
 * `npm run bench:baselines`: times OMP and the Lasso of @parsimony/plugin-baselines
^ * (the built dist/) on A 256 x 1024 (unit-norm Gaussian columns), k = 20,
 * SNR 30 dB, one right-hand side and 100 right-hand sides; when /usr/bin/python3
 * has scikit-learn, times `orthogonal_mp` and `Lasso` on the same inputs (.npy
 * files) in the same run and prints the ratios. Both run on one core (BLAS
 * threads pinned to 1). Each case reports wall time (performance.now /
 * time.perf_counter) and the process's CPU time (process.cpuUsage /
 * time.process_time): on a shared machine the CPU time is the fairer of the
 * two. Never asserts a time; exits non-zero only when an output is not finite
 * or the two libraries disagree on the answer.
 *
 * Options: --repeats N (single solves; default 40), --rounds R (JS and Python
 * alternate R times, the best round counts; default 2), --no-python.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Matrix, createRng, decodeNpy, encodeNpy, matmul, randomizedSvd } from '@parsimony/core';
import { lasso, lassoMany } from '../dist/solvers/lasso.js';
import { omp, ompMany } from '../dist/solvers/omp.js';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const REPEATS = opt('repeats', 40);
const ROUNDS = opt('rounds', 2);
const PYTHON = '/usr/bin/python3';
const usePython = !args.includes('--no-python') && existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import sklearn'], { stdio: 'ignore' }).status === 0;

// ==========================================================================
// Inputs: fixed seed, built outside every timed region
// ==========================================================================

const m = 256, n = 1024, k = 20, RHS = 100, SNR_DB = 30;
const rng = createRng('bench/baselines', 0);
const A = Matrix.zeros(m, n);
rng.fillNormal(A.data);
for (let j = 0; j < n; j++) {
  let s = 0;
  for (let i = 0; i < m; i++) s += A.data[i * n + j] ** 2;
  s = Math.sqrt(s);
  for (let i = 0; i < m; i++) A.data[i * n + j] /= s;
}
const ys = [];
const sigmas = [];
for (let r = 0; r < RHS; r++) {
  const x = new Float64Array(n);
  for (const j of rng.sampleWithoutReplacement(n, k)) x[j] = rng.normal();
  const y = new Float64Array(m);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) y[i] += A.data[i * n + j] * x[j];
  const sigma = Math.hypot(...y) / Math.sqrt(m) / 10 ** (SNR_DB / 20);
  for (let i = 0; i < m; i++) y[i] += sigma * rng.normal();
  ys.push(y);
  sigmas.push(sigma);
}
// Lasso weight from the noise level: λ = σ√(2 ln n) on ½‖y − Ax‖², i.e. alpha = λ/m in scikit-learn's (1/2m) scaling.
const alpha = (sigmas[0] * Math.sqrt(2 * Math.log(n))) / m;
const y0 = ys[0];

// Randomized SVD (Halko et al.): M 2000 x 1000 = a rank-50 matrix with singular values 1/(1+i) plus
// 1e-5 Gaussian noise; rank 20, 10 oversamples and 7 power iterations (scikit-learn's n_iter='auto' here).
const RS = { m: 2000, n: 1000, rank: 20, oversample: 10, powerIters: 7 };
const M = (() => {
  const L = Matrix.zeros(RS.m, 50), R = Matrix.zeros(50, RS.n);
  rng.fillNormal(L.data);
  rng.fillNormal(R.data);
  for (let i = 0; i < RS.m; i++) for (let j = 0; j < 50; j++) L.data[i * 50 + j] /= Math.sqrt(RS.m) * (1 + j);
  for (let i = 0; i < R.data.length; i++) R.data[i] /= Math.sqrt(RS.n);
  const out = matmul(L, R);
  for (let i = 0; i < out.data.length; i++) out.data[i] += 1e-5 * rng.normal();
  return out;
})();
/** ‖M − U diag(s) Vᵀ‖_F / ‖M‖_F of a rank-r factorization (U m x r, V n x r, both row-major). */
function rsvdError(U, s, V) {
  const r = s.length;
  let num = 0, den = 0;
  for (let i = 0; i < RS.m; i++) {
    for (let j = 0; j < RS.n; j++) {
      let v = 0;
      for (let t = 0; t < r; t++) v += U.data[i * U.cols + t] * s[t] * V.data[j * V.cols + t];
      const x = M.data[i * RS.n + j];
      num += (x - v) ** 2;
      den += x * x;
    }
  }
  return Math.sqrt(num / den);
}

const dir = mkdtempSync(join(tmpdir(), 'parsimony-bench-'));
writeFileSync(join(dir, 'M.npy'), encodeNpy(M));
writeFileSync(join(dir, 'A.npy'), encodeNpy(A));
const Y = Matrix.zeros(RHS, m);
ys.forEach((y, r) => Y.data.set(y, r * m));
writeFileSync(join(dir, 'Y.npy'), encodeNpy(Y));
writeFileSync(join(dir, 'params.json'), JSON.stringify({ m, n, k, alpha, rhs: RHS, snrDb: SNR_DB, rsvd: RS }));

// ==========================================================================
// Timing
// ==========================================================================

function finite(xs) {
  for (const x of Array.isArray(xs) ? xs : [xs]) for (const v of x) if (!Number.isFinite(v)) throw new Error('bench:baselines: a solver returned a non-finite value');
}

/** Wall time (performance.now) and this process's CPU time (process.cpuUsage) per call. */
function timeit(fn, repeats) {
  finite(fn()); // warm-up (JIT), and the output is used so the work cannot be elided
  const wall = [];
  let cpuMin = Infinity;
  for (let r = 0; r < repeats; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const out = fn();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpuMin = Math.min(cpuMin, (c.user + c.system) / 1000);
    if (r === 0) finite(out);
  }
  wall.sort((a, b) => a - b);
  return { median_ms: wall[Math.floor(wall.length / 2)], min_ms: wall[0], cpu_min_ms: cpuMin, repeats };
}

const many = Math.max(1, Math.floor(REPEATS / 10));
const jsCases = {
  omp: () => timeit(() => omp(A, y0, { k }), REPEATS),
  lasso: () => timeit(() => lasso(A, y0, { alpha }).w, REPEATS),
  omp_many: () => timeit(() => ompMany(A, ys, { k }), many),
  lasso_many: () => timeit(() => lassoMany(A, ys, { alpha }).map((r) => r.w), many),
  rsvd: () => timeit(() => randomizedSvd(M, RS.rank, { oversample: RS.oversample, powerIters: RS.powerIters, rng: createRng('bench/rsvd') }).s, many),
};

/** The better of two measurements of one case, field by field. */
function better(a, b) {
  if (!b) return a;
  return { median_ms: Math.min(a.median_ms, b.median_ms), min_ms: Math.min(a.min_ms, b.min_ms), cpu_min_ms: Math.min(a.cpu_min_ms, b.cpu_min_ms), repeats: a.repeats };
}

const js = {};
let sk;
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, run] of Object.entries(jsCases)) js[name] = better(run(), js[name]);
  if (usePython) {
    const r = spawnSync(PYTHON, [join(here, 'sklearn_baselines.py'), dir, String(REPEATS)], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`bench:baselines: the scikit-learn script failed:\n${r.stderr}`);
    const out = JSON.parse(r.stdout);
    if (!sk) sk = out;
    else for (const key of Object.keys(out)) if (typeof out[key] === 'object') sk[key] = better(out[key], sk[key]);
  }
}

// ==========================================================================
// Agreement with scikit-learn on the benchmark inputs
// ==========================================================================

const relErr = (a, b) => {
  let num = 0, den = 0;
  for (let i = 0; i < b.length; i++) {
    num += (a[i] - b[i]) ** 2;
    den += b[i] ** 2;
  }
  return num === 0 ? 0 : Math.sqrt(num / den);
};
const supportOf = (x) => Array.from(x.keys()).filter((i) => x[i] !== 0).join(',');
let agreement = '';
let rsvdAgreement = '';
if (sk) {
  const load = (f) => decodeNpy(readFileSync(join(dir, f)), f).data;
  const skOmp = load('sk_omp.npy'), skLasso = load('sk_lasso.npy');
  const skOmpMany = load('sk_omp_many.npy'), skLassoMany = load('sk_lasso_many.npy');
  const jsOmpMany = ompMany(A, ys, { k });
  const jsLassoMany = lassoMany(A, ys, { alpha });
  let ompErr = relErr(omp(A, y0, { k }), skOmp), lassoErr = relErr(lasso(A, y0, { alpha }).w, skLasso);
  let sameSupport = supportOf(omp(A, y0, { k })) === supportOf(skOmp) && supportOf(lasso(A, y0, { alpha }).w) === supportOf(skLasso);
  for (let r = 0; r < RHS; r++) {
    const a = jsOmpMany[r], b = skOmpMany.subarray(r * n, (r + 1) * n);
    const w = jsLassoMany[r].w, v = skLassoMany.subarray(r * n, (r + 1) * n);
    ompErr = Math.max(ompErr, relErr(a, b));
    lassoErr = Math.max(lassoErr, relErr(w, v));
    sameSupport &&= supportOf(a) === supportOf(b) && supportOf(w) === supportOf(v);
  }
  const ours = randomizedSvd(M, RS.rank, { oversample: RS.oversample, powerIters: RS.powerIters, rng: createRng('bench/rsvd') });
  const skU = decodeNpy(readFileSync(join(dir, 'sk_rsvd_U.npy')), 'U'), skS = load('sk_rsvd_s.npy'), skVt = decodeNpy(readFileSync(join(dir, 'sk_rsvd_Vt.npy')), 'Vt');
  const skV = Matrix.zeros(RS.n, RS.rank);
  for (let t = 0; t < RS.rank; t++) for (let j = 0; j < RS.n; j++) skV.data[j * RS.rank + t] = skVt.data[t * RS.n + j];
  const errOurs = rsvdError(ours.U, ours.s, ours.V), errSk = rsvdError({ data: skU.data, cols: RS.rank }, skS, skV);
  rsvdAgreement = `randomized SVD rel. Frobenius error: ours ${errOurs.toExponential(4)}, scikit-learn ${errSk.toExponential(4)}`;
  if (!(errOurs <= errSk * 1.01 + 1e-12)) process.exitCode = 1;
  agreement = `agreement with scikit-learn ${sk.sklearn} on all ${RHS + 1} problems: same supports ${sameSupport}, max rel. error OMP ${ompErr.toExponential(1)}, Lasso ${lassoErr.toExponential(1)}`;
  if (!sameSupport || ompErr > 1e-6 || lassoErr > 1e-6) {
    console.error(agreement);
    process.exitCode = 1;
  }
}
rmSync(dir, { recursive: true, force: true });

// ==========================================================================
// Report
// ==========================================================================

const fmt = (v) => (v === undefined ? '—' : v < 1 ? v.toFixed(3) : v.toFixed(2));
const perSolve = (t, count) => t && { median: t.median_ms / count, min: t.min_ms / count, cpu: t.cpu_min_ms / count };
const pick = (a, b) => (a.cpu_min_ms <= b.cpu_min_ms ? a : b);
const rows = [
  ['baselines:omp:n=1024', 'single solve', perSolve(js.omp, 1), sk && perSolve(sk.omp, 1), 'orthogonal_mp'],
  ['baselines:lasso:n=1024', 'single solve', perSolve(js.lasso, 1), sk && perSolve(sk.lasso, 1), 'Lasso'],
  ['baselines:omp-many:n=1024,rhs=100', 'ompMany (Gram), per solve', perSolve(js.omp_many, RHS), sk && perSolve(pick(sk.omp_many, sk.omp_many_gram), RHS), sk && (pick(sk.omp_many, sk.omp_many_gram) === sk.omp_many ? 'orthogonal_mp' : 'orthogonal_mp(precompute=True)')],
  ['core:randomized-svd:m=2000,n=1000,r=20', 'randomizedSvd, 7 power iterations', perSolve(js.rsvd, 1), sk && perSolve(sk.rsvd, 1), 'randomized_svd'],
  ['baselines:lasso-many:n=1024,rhs=100', 'lassoMany, per solve', perSolve(js.lasso_many, RHS), sk && perSolve(pick(sk.lasso_many, sk.lasso_many_gram), RHS), sk && (pick(sk.lasso_many, sk.lasso_many_gram) === sk.lasso_many ? 'Lasso' : 'Lasso(precompute=True)')],
];
console.log(`A ${m}x${n} (unit-norm Gaussian columns), k=${k}, SNR ${SNR_DB} dB, Lasso alpha=${alpha.toExponential(3)} (λ = σ√(2 ln n)/m); node ${process.version}, one thread`);
console.log(`ms per solve: wall median and min of ${REPEATS} single solves / ${many} runs of ${RHS} right-hand sides, and the min CPU time of the process; best of ${ROUNDS} rounds`);
console.log('');
console.log('| case | | JS wall median (min) | JS CPU | scikit-learn wall median (min) | scikit-learn CPU | ratio wall | ratio CPU |');
console.log('|---|---|---|---|---|---|---|---|');
for (const [name, what, a, b, skName] of rows) {
  const ratio = (x, y) => (x && y ? (x / y).toFixed(2) : '—');
  console.log(`| ${name} | ${what} | ${fmt(a.median)} (${fmt(a.min)}) | ${fmt(a.cpu)} | ${b ? `${fmt(b.median)} (${fmt(b.min)}) ${skName}` : 'not run'} | ${b ? fmt(b.cpu) : '—'} | ${ratio(a.median, b?.median)} | ${ratio(a.cpu, b?.cpu)} |`);
}
if (sk) {
  console.log('');
  const both = (x) => `${fmt(x.median_ms / RHS)} wall, ${fmt(x.cpu_min_ms / RHS)} CPU`;
  console.log(`scikit-learn on 100 right-hand sides, ms per solve: orthogonal_mp ${both(sk.omp_many)}; precompute=True ${both(sk.omp_many_gram)}; Lasso ${both(sk.lasso_many)}; precompute=True ${both(sk.lasso_many_gram)}`);
  console.log(agreement);
  console.log(rsvdAgreement);
} else {
  console.log(args.includes('--no-python') ? '\nscikit-learn skipped (--no-python): JS only.' : '\nscikit-learn not found (/usr/bin/python3 -c "import sklearn" failed): JS only.');
}
