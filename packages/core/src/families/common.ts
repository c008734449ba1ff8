/**
 * Small helpers shared by the family folders: error builders, overflow-safe
 * norms and metric clamping, and the optimal assignment used to match
 * unordered answers (atoms, paths) to the truth. Numerics proper (GEMM, QR,
 * SVD) live in `../linalg`; nothing here duplicates them.
 */
import { nrm2, qr, type Matrix } from '../linalg/index.js';
import { gaussianMatrix, type Rng } from '../random/index.js';
import { ParsimonyError } from '../schema/errors.js';

/** The largest magnitude a metric may take; keeps every reported value finite. */
export const METRIC_CAP = 1e300;

/**
 * Clamps a metric value into [-1e300, 1e300] so that scoring a finite but
 * absurd solution (entries of 1e200) gives a terrible, finite score. NaN,
 * which only arises from overflowed intermediates, maps to `nanAs`.
 *
 * @example
 * clampMetric(Infinity) // => 1e300
 */
export function clampMetric(v: number, nanAs = METRIC_CAP): number {
  if (Number.isNaN(v)) return nanAs;
  return Math.max(-METRIC_CAP, Math.min(METRIC_CAP, v));
}

/** 10 log10(v) (or 20 log10 with `factor = 20`), floored at -300 dB and capped at +3000 dB. */
export function toDb(v: number, factor = 10): number {
  if (!(v > 0)) return -300;
  return Math.max(-300, Math.min(3000, factor * Math.log10(v)));
}

/**
 * A params error of a family: `<family>: params.<field> <problem>`.
 *
 * @example
 * throw badParam('matrix-completion', 'rank', '= 0 must be >= 1');
 */
export function badParam(family: string, field: string, problem: string): ParsimonyError {
  return new ParsimonyError('PARSIMONY_BAD_PARAMS', `${family}: params.${field} ${problem}`, `params.${field}`);
}

/**
 * ||a - b||_2 / max(||b||_2, 1e-300), computed with scaled norms (no
 * overflow for entries up to 1e308) and clamped to 1e300.
 *
 * @example
 * relErrSafe(new Float64Array([1, 1]), new Float64Array([1, 0])) // => 1
 */
export function relErrSafe(a: Float64Array, b: Float64Array): number {
  const d = new Float64Array(b.length);
  // Halve before subtracting so that (1e308) - (-1e308) does not overflow.
  for (let i = 0; i < b.length; i++) d[i] = 0.5 * a[i] - 0.5 * b[i];
  // Divide before doubling: 2·||d|| itself may overflow.
  return clampMetric(2 * (nrm2(d) / Math.max(nrm2(b), 1e-300)));
}

/** Frobenius norm of a matrix (scaled, no overflow). */
export function frobenius(a: Matrix): number {
  return nrm2(a.data);
}

/** Describes the first non-finite entry of a typed array, or undefined. */
export function firstNonFinite(data: ArrayLike<number>): string | undefined {
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i])) return `[${i}] is ${data[i]}`;
  return undefined;
}

/** A solution/observation problem `{ field, message }`, as `checkSolution` returns it. */
export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

/** Checks a matrix field's shape: `solution.U is 3x2, expected 300x10`. */
export function expectShape(field: string, a: Matrix, rows: number, cols: number): FieldProblem | undefined {
  if (a.rows !== rows || a.cols !== cols) return { field, message: `${field} is ${a.rows}x${a.cols}, expected ${rows}x${cols}` };
  return undefined;
}

/** Checks a vector field's length: `solution.x has 3 entries, expected n = 256`. */
export function expectLength(field: string, v: ArrayLike<number>, n: number, what = ''): FieldProblem | undefined {
  if (v.length !== n) return { field, message: `${field} has ${v.length} entries, expected ${what ? `${what} = ` : ''}${n}` };
  return undefined;
}

/** Checks that an optional scalar of a solution is finite (the schema lets NaN and Infinity through for plain numbers). */
export function expectFinite(field: string, v: number | undefined): FieldProblem | undefined {
  if (v !== undefined && !Number.isFinite(v)) return { field, message: `${field} is ${v}; expected a finite number` };
  return undefined;
}

/** Minimum-cost assignment: core's linear-algebra kernel, used by the scores that match estimates to the truth. */
export { hungarian } from '../linalg/assignment.js';

// TODO(numerics): move the distribution samplers below to core random/ once it has them.

/**
 * A Gamma(shape, 1) deviate from core's stream: Marsaglia & Tsang (2000) for
 * shape >= 1; for shape < 1, Gamma(shape + 1)·U^(1/shape).
 *
 * @example
 * gammaSample(createRng(1), 0.5) // => a positive number
 */
export function gammaSample(rng: Rng, shape: number): number {
  if (!(shape > 0)) throw new RangeError(`gammaSample: shape must be > 0, got ${shape}`);
  if (shape < 1) {
    const g = gammaSample(rng, shape + 1);
    return g * Math.pow(1 - rng.uniform(), 1 / shape);
  }
  const d = shape - 1 / 3, c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number, v: number;
    do {
      x = rng.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rng.uniform(); // (0, 1]
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** A Beta(a, b) deviate: X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b). */
export function betaSample(rng: Rng, a: number, b: number): number {
  const x = gammaSample(rng, a), y = gammaSample(rng, b);
  return x + y > 0 ? x / (x + y) : 0.5;
}

/** A Dirichlet(alpha, ..., alpha) vector of length k (a uniform point of the simplex for alpha = 1). */
export function dirichletSample(rng: Rng, k: number, alpha: number): Float64Array {
  const out = new Float64Array(k);
  let s = 0;
  for (let i = 0; i < k; i++) s += out[i] = gammaSample(rng, alpha);
  if (!(s > 0)) {
    // Every gamma underflowed (tiny alpha): put the mass on one random vertex.
    out.fill(0);
    out[rng.int(k)] = 1;
    return out;
  }
  for (let i = 0; i < k; i++) out[i] /= s;
  return out;
}

/**
 * A Haar-distributed matrix with orthonormal columns (rows x cols, rows >=
 * cols, a uniform point of the Stiefel manifold): the Q of a Gaussian
 * matrix's thin QR with column signs fixed by diag(R) (Mezzadri 2007). Core's
 * `haarOrthogonal` is square only; this rectangular form costs rows·cols²
 * instead of rows³.
 * TODO(numerics): replace with core random once haarOrthogonal takes a column count.
 *
 * @example
 * const Q = haarOrthonormal(5, 3, createRng(1)); // QᵀQ = I
 */
export function haarOrthonormal(rows: number, cols: number, rng: Rng): Matrix {
  if (cols > rows) throw new RangeError(`haarOrthonormal: needs rows >= cols, got ${rows} x ${cols}`);
  const { Q, R } = qr(gaussianMatrix(rows, cols, rng));
  const q = Q.data as Float64Array;
  for (let j = 0; j < cols; j++) {
    if (R.data[j * R.cols + j] < 0) for (let i = 0; i < rows; i++) q[i * cols + j] = -q[i * cols + j];
  }
  return Q;
}
