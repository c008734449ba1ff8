/**
 * The linear-algebra backend, in the tfjs style: core names every kernel
 * and its typed inputs (`LinalgKernels`, the contract); a backend is a plain
 * object of kernel implementations that only compute; the op layer
 * (`defineBackend`) checks shapes and values once, with messages that quote
 * them, and then calls the backend's kernel. A missing kernel fails with
 * "Kernel 'svd' not registered for backend 'wasm-simd'".
 *
 * Solvers receive the ops as `ctx.linalg` (DI token `LinalgBackendToken`),
 * so registering a faster backend (e.g. WebAssembly SIMD) speeds up every
 * solver without touching solver code.
 */
import { axpy, dot, matvec, nrm2 } from './blas.js';
import {
  assertFinite,
  assertFiniteVector,
  assertMatrix,
  assertSymmetric,
  assertVector,
  badInput,
  checkedInput,
  shapeOf,
} from './check.js';
import { choleskyKernel } from './cholesky.js';
import { dct as dctOp, idct as idctOp } from './dct.js';
import { eighKernel, type EighResult } from './eigh.js';
import { fwht as fwhtOp, type FwhtOptions } from './fwht.js';
import { checkMatmul, matmulKernel, type MatmulOptions } from './gemm.js';
import { gramKernel, type GramOptions } from './gram.js';
import { lstsqKernel, type LstsqOptions, type LstsqResult } from './lstsq.js';
import { luKernel, unpackLu, type LuPacked, type LuResult } from './lu.js';
import type { Matrix } from './matrix.js';
import { type PinvOptions } from './pinv.js';
import { qrKernel, type QrResult } from './qr.js';
import { qrPivotedKernel, type PivotedQrResult, type QrPivotedOptions } from './qr-pivoted.js';
import { checkRandomizedSvd, randomizedSvdWith, type RandomizedSvdOptions } from './randomized-svd.js';
import { checkRhs, solveKernel } from './solve.js';
import { svdKernel, type SvdResult } from './svd.js';
import { transposeKernel } from './transpose.js';
import { checkTriangular, trsmKernel, type TriangularOptions } from './triangular.js';

// ==========================================================================
// Kernel contract
// ==========================================================================

/**
 * Every kernel a backend may implement. Inputs are already checked (shapes
 * agree, matrices finite where the op requires it); kernels must not modify
 * their inputs unless stated, and return new arrays.
 */
export interface LinalgKernels {
  /** x · y (equal lengths). */
  dot(x: Float64Array, y: Float64Array): number;
  /** y += alpha x, in place (equal lengths). */
  axpy(alpha: number, x: Float64Array, y: Float64Array): void;
  /** ‖x‖₂ without overflow. */
  nrm2(x: Float64Array): number;
  /** A x (or Aᵀ x when trans), into `out` when given. */
  matvec(a: Matrix, x: Float64Array, trans: boolean, out?: Float64Array): Float64Array;
  /** op(A) op(B). */
  matmul(a: Matrix, b: Matrix, transA: boolean, transB: boolean): Matrix;
  /** AᵀA (or AAᵀ when trans), exactly symmetric. */
  gram(a: Matrix, trans: boolean): Matrix;
  /** Aᵀ. */
  transpose(a: Matrix): Matrix;
  /** Thin Householder QR. */
  qr(a: Matrix): QrResult;
  /** Column-pivoted QR; rank counts |R_ii| > tol |R₀₀|. */
  qrPivoted(a: Matrix, tol: number): PivotedQrResult;
  /** Lower Cholesky factor of a symmetric A (throws when A is not positive definite). */
  cholesky(a: Matrix): Matrix;
  /** Solution of op(T) X = B; `b` is row-major n x k; returns a new array. */
  solveTriangular(t: Matrix, b: Float64Array, k: number, lower: boolean, trans: boolean, unitDiagonal: boolean): Float64Array;
  /** Packed LU with partial pivoting. */
  lu(a: Matrix): LuPacked;
  /** X with A X = B for square A; `b` row-major n x k (throws when A is singular). */
  solve(a: Matrix, b: Float64Array, k: number): Float64Array;
  /** Minimum-norm least squares; `b` row-major m x k, x row-major n x k. */
  lstsq(a: Matrix, b: Float64Array, k: number, rcond: number): { x: Float64Array; rank: number };
  /** Symmetric eigen-decomposition, values ascending. */
  eigh(a: Matrix): EighResult;
  /** Thin SVD, s descending. */
  svd(a: Matrix): SvdResult;
  /** Unnormalized Walsh-Hadamard transform in place (length a power of two). */
  fwht(x: Float64Array): void;
  /** Orthonormal DCT-II (new array). */
  dct(x: Float64Array): Float64Array;
  /** Orthonormal DCT-III (new array). */
  idct(x: Float64Array): Float64Array;
}

/** A kernel's name, e.g. `'matmul'`. */
export type KernelName = keyof LinalgKernels;

/**
 * The TypeScript kernels: plain loops over Float64Array, the default backend.
 * Spread them into another backend to inherit what it does not implement.
 *
 * @example
 * defineBackend({ name: 'mine', kernels: { ...typescriptKernels, matmul: myMatmul } });
 */
export const typescriptKernels: LinalgKernels = {
  dot,
  axpy,
  nrm2,
  matvec: (a, x, trans, out) => matvec(a, x, trans, out),
  matmul: matmulKernel,
  gram: gramKernel,
  transpose: transposeKernel,
  qr: qrKernel,
  qrPivoted: qrPivotedKernel,
  cholesky: choleskyKernel,
  solveTriangular: (t, b, k, lower, trans, unit) => {
    const x = b.slice();
    trsmKernel(t, x, k, lower, trans, unit);
    return x;
  },
  lu: luKernel,
  solve: solveKernel,
  lstsq: lstsqKernel,
  eigh: eighKernel,
  svd: svdKernel,
  fwht: (x) => void fwhtOp(x),
  dct: dctOp,
  idct: idctOp,
};

/** Every kernel name, in the contract's order. @example KERNEL_NAMES.includes('svd') // => true */
export const KERNEL_NAMES: readonly KernelName[] = Object.keys(typescriptKernels) as KernelName[];

/**
 * Thrown when an op needs a kernel its backend does not provide.
 *
 * @example
 * defineBackend({ name: 'wasm-simd', kernels: {} }).svd(A); // throws "Kernel 'svd' not registered for backend 'wasm-simd'"
 */
export class KernelNotRegisteredError extends Error {
  override readonly name = 'KernelNotRegisteredError';

  constructor(
    readonly kernel: string,
    readonly backend: string,
  ) {
    super(`Kernel '${kernel}' not registered for backend '${backend}'`);
  }
}

// ==========================================================================
// Op layer
// ==========================================================================

/**
 * The kernels a solver may take from `ctx.linalg`: the checked ops over one
 * backend's kernels. Shapes are checked once, here; the kernel only computes.
 */
export interface LinalgBackend {
  /** A short name, shown in run manifests (`'typescript'`). */
  readonly name: string;
  /** The backend's raw kernels (unchecked). */
  readonly kernels: Partial<LinalgKernels>;
  dot(x: Float64Array, y: Float64Array): number;
  axpy(alpha: number, x: Float64Array, y: Float64Array): void;
  nrm2(x: Float64Array): number;
  /** y = A x, or Aᵀ x when `trans`. */
  matvec(a: Matrix, x: Float64Array, trans?: boolean, out?: Float64Array): Float64Array;
  matmul(a: Matrix, b: Matrix, options?: MatmulOptions): Matrix;
  gram(a: Matrix, options?: GramOptions): Matrix;
  transpose(a: Matrix): Matrix;
  qr(a: Matrix): QrResult;
  qrPivoted(a: Matrix, options?: QrPivotedOptions): PivotedQrResult;
  cholesky(a: Matrix): Matrix;
  choleskySolve(l: Matrix, b: Float64Array): Float64Array;
  choleskySolve(l: Matrix, b: Matrix): Matrix;
  solveTriangular(t: Matrix, b: Float64Array, options?: TriangularOptions): Float64Array;
  solveTriangular(t: Matrix, b: Matrix, options?: TriangularOptions): Matrix;
  lu(a: Matrix): LuResult;
  solve(a: Matrix, b: Float64Array): Float64Array;
  solve(a: Matrix, b: Matrix): Matrix;
  lstsq(a: Matrix, b: Float64Array, options?: LstsqOptions): LstsqResult<Float64Array>;
  lstsq(a: Matrix, b: Matrix, options?: LstsqOptions): LstsqResult<Matrix>;
  pinv(a: Matrix, options?: PinvOptions): Matrix;
  eigh(a: Matrix): EighResult;
  svd(a: Matrix): SvdResult;
  randomizedSvd(a: Matrix, r: number, options?: RandomizedSvdOptions): SvdResult;
  fwht(x: Float64Array, options?: FwhtOptions): Float64Array;
  dct(x: Float64Array): Float64Array;
  idct(x: Float64Array): Float64Array;
}

/** The spec of {@link defineBackend}. */
export interface BackendSpec {
  /** A short, unique name (`'wasm-simd'`). */
  readonly name: string;
  /** Kernel implementations; ops whose kernel is absent throw {@link KernelNotRegisteredError}. */
  readonly kernels: Partial<LinalgKernels>;
}

function editDistance(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0];
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const t = d[j];
      d[j] = Math.min(d[j] + 1, d[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = t;
    }
  }
  return d[b.length];
}

function rhsCols(op: string, a: Matrix, b: unknown): number {
  if (b instanceof Float64Array) {
    if (b.length !== a.rows) throw badInput(`${op}: A is ${shapeOf(a)} but b has ${b.length} entries (needs ${a.rows})`, 'b');
    assertFiniteVector(op, 'b', b);
    return 1;
  }
  assertMatrix(op, 'B', b);
  if (b.rows !== a.rows) throw badInput(`${op}: A is ${shapeOf(a)} but B is ${shapeOf(b)} (rows differ)`, 'B');
  assertFinite(op, 'B', b);
  return b.cols;
}

function rcondOf(op: string, a: Matrix, rcond: number | undefined): number {
  const r = rcond ?? Math.max(a.rows, a.cols) * Number.EPSILON;
  if (!(r >= 0)) throw badInput(`${op}: options.rcond must be >= 0, got ${r}`, 'options.rcond');
  return r;
}

/**
 * Builds the checked ops over a backend's kernels. Unknown kernel names are
 * an error (with a suggestion), so a typo cannot silently fall back.
 *
 * @param spec - `name` and `kernels`
 * @returns the backend, ready to register under `LinalgBackendToken`
 * @example
 * const wasm = defineBackend({ name: 'wasm-simd', kernels: { ...typescriptKernels, matmul: wasmMatmul } });
 * container.registerInstance(LinalgBackendToken, wasm);
 */
export function defineBackend(spec: BackendSpec): LinalgBackend {
  if (typeof spec?.name !== 'string' || spec.name.length === 0) {
    throw badInput('defineBackend: spec.name must be a non-empty string', 'spec.name');
  }
  const name = spec.name;
  const k: Partial<LinalgKernels> = { ...spec.kernels };
  for (const key of Object.keys(k)) {
    if (!(KERNEL_NAMES as readonly string[]).includes(key)) {
      const best = [...KERNEL_NAMES].sort((x, y) => editDistance(key, x) - editDistance(key, y))[0];
      throw badInput(`defineBackend: backend '${name}' has an unknown kernel '${key}' (did you mean '${best}'?)`, `spec.kernels.${key}`);
    }
    if (typeof k[key as KernelName] !== 'function') {
      throw badInput(`defineBackend: backend '${name}': kernel '${key}' must be a function`, `spec.kernels.${key}`);
    }
  }
  const need = <K extends KernelName>(kernel: K): LinalgKernels[K] => {
    const f = k[kernel];
    if (!f) throw new KernelNotRegisteredError(kernel, name);
    return f as LinalgKernels[K];
  };
  const vecPair = (op: string, x: unknown, y: unknown): void => {
    assertVector(op, 'x', x);
    assertVector(op, 'y', y, (x as Float64Array).length, `x has ${(x as Float64Array).length}`);
  };

  function choleskySolve(l: Matrix, b: Float64Array): Float64Array;
  function choleskySolve(l: Matrix, b: Matrix): Matrix;
  function choleskySolve(l: Matrix, b: Matrix | Float64Array): Matrix | Float64Array {
    const kk = checkTriangular('choleskySolve', l, b);
    const st = need('solveTriangular');
    const data = b instanceof Float64Array ? b : b.data;
    const x = st(l, st(l, data, kk, true, false, false), kk, true, true, false);
    return b instanceof Float64Array ? x : { rows: b.rows, cols: kk, data: x };
  }
  function solveTriangular(t: Matrix, b: Float64Array, options?: TriangularOptions): Float64Array;
  function solveTriangular(t: Matrix, b: Matrix, options?: TriangularOptions): Matrix;
  function solveTriangular(t: Matrix, b: Matrix | Float64Array, options: TriangularOptions = {}): Matrix | Float64Array {
    const kk = checkTriangular('solveTriangular', t, b);
    const x = need('solveTriangular')(t, b instanceof Float64Array ? b : b.data, kk, options.lower ?? true, !!options.trans, !!options.unitDiagonal);
    return b instanceof Float64Array ? x : { rows: b.rows, cols: kk, data: x };
  }
  function solve(a: Matrix, b: Float64Array): Float64Array;
  function solve(a: Matrix, b: Matrix): Matrix;
  function solve(a: Matrix, b: Matrix | Float64Array): Matrix | Float64Array {
    checkedInput('solve', 'A', a, true);
    const kk = checkRhs('solve', a, b);
    const x = need('solve')(a, b instanceof Float64Array ? b : b.data, kk);
    return b instanceof Float64Array ? x : { rows: a.rows, cols: kk, data: x };
  }
  function lstsq(a: Matrix, b: Float64Array, options?: LstsqOptions): LstsqResult<Float64Array>;
  function lstsq(a: Matrix, b: Matrix, options?: LstsqOptions): LstsqResult<Matrix>;
  function lstsq(a: Matrix, b: Matrix | Float64Array, options: LstsqOptions = {}): LstsqResult<Matrix | Float64Array> {
    checkedInput('lstsq', 'A', a);
    const kk = rhsCols('lstsq', a, b);
    const { x, rank } = need('lstsq')(a, b instanceof Float64Array ? b : b.data, kk, rcondOf('lstsq', a, options.rcond));
    return { x: b instanceof Float64Array ? x : { rows: a.cols, cols: kk, data: x }, rank };
  }

  return {
    name,
    kernels: k,
    dot(x, y) {
      vecPair('dot', x, y);
      return need('dot')(x, y);
    },
    axpy(alpha, x, y) {
      vecPair('axpy', x, y);
      need('axpy')(alpha, x, y);
    },
    nrm2(x) {
      assertVector('nrm2', 'x', x);
      return need('nrm2')(x);
    },
    matvec(a, x, trans = false, out) {
      assertMatrix('matvec', 'A', a);
      const nIn = trans ? a.rows : a.cols, nOut = trans ? a.cols : a.rows;
      assertVector('matvec', 'x', x, nIn, `A is ${shapeOf(a)}${trans ? ' (transposed product)' : ''}, so x needs ${nIn}`);
      if (out !== undefined) assertVector('matvec', 'out', out, nOut);
      return need('matvec')(a, x, trans, out);
    },
    matmul(a, b, options = {}) {
      checkMatmul(a, b, options);
      return need('matmul')(a, b, !!options.transA, !!options.transB);
    },
    gram(a, options = {}) {
      assertMatrix('gram', 'A', a);
      return need('gram')(a, !!options.trans);
    },
    transpose(a) {
      assertMatrix('transpose', 'A', a);
      return need('transpose')(a);
    },
    qr(a) {
      return need('qr')(checkedInput('qr', 'A', a));
    },
    qrPivoted(a, options = {}) {
      checkedInput('qrPivoted', 'A', a);
      return need('qrPivoted')(a, rcondOf('qrPivoted', a, options.tol));
    },
    cholesky(a) {
      checkedInput('cholesky', 'A', a, true);
      assertSymmetric('cholesky', 'A', a);
      return need('cholesky')(a);
    },
    choleskySolve,
    solveTriangular,
    lu(a) {
      return unpackLu(need('lu')(checkedInput('lu', 'A', a)));
    },
    solve,
    lstsq,
    pinv(a, options = {}) {
      checkedInput('pinv', 'A', a);
      const rcond = rcondOf('pinv', a, options.rcond);
      const { U, s, V } = need('svd')(a);
      const kk = s.length;
      let r = 0;
      while (r < kk && s[r] > rcond * s[0]) r++;
      const vs = new Float64Array(a.cols * r);
      for (let i = 0; i < a.cols; i++) for (let j = 0; j < r; j++) vs[i * r + j] = V.data[i * kk + j] / s[j];
      const ur = new Float64Array(a.rows * r);
      for (let i = 0; i < a.rows; i++) for (let j = 0; j < r; j++) ur[i * r + j] = U.data[i * kk + j];
      return need('matmul')({ rows: a.cols, cols: r, data: vs }, { rows: a.rows, cols: r, data: ur }, false, true);
    },
    eigh(a) {
      checkedInput('eigh', 'A', a, true);
      assertSymmetric('eigh', 'A', a);
      return need('eigh')(a);
    },
    svd(a) {
      return need('svd')(checkedInput('svd', 'A', a));
    },
    randomizedSvd(a, r, options = {}) {
      checkRandomizedSvd(a, r, options);
      return randomizedSvdWith({ matmul: need('matmul'), qr: need('qr'), svd: need('svd') }, a, r, options);
    },
    fwht(x, options = {}) {
      assertVector('fwht', 'x', x);
      const n = x.length;
      if (n > 0 && (n & (n - 1)) !== 0) throw badInput(`fwht: x has ${n} entries but the length must be a power of two`, 'x');
      need('fwht')(x);
      if (options.orthonormal && n > 0) {
        const s = 1 / Math.sqrt(n);
        for (let i = 0; i < n; i++) x[i] *= s;
      }
      return x;
    },
    dct(x) {
      assertVector('dct', 'x', x);
      return need('dct')(x);
    },
    idct(x) {
      assertVector('idct', 'x', x);
      return need('idct')(x);
    },
  };
}

/**
 * Builds a backend from `base`'s kernels with some replaced, e.g. a WASM
 * backend that only provides a faster matmul and inherits the rest.
 *
 * @param base - the backend to inherit kernels from
 * @param spec - the new name and the kernels to override
 * @returns the new backend
 * @example
 * const fast = extendBackend(typescriptBackend, { name: 'wasm-simd', kernels: { matmul: wasmMatmul } });
 */
export function extendBackend(base: LinalgBackend, spec: BackendSpec): LinalgBackend {
  return defineBackend({ name: spec.name, kernels: { ...base.kernels, ...spec.kernels } });
}

/** The default backend: plain TypeScript over Float64Array. @example typescriptBackend.matmul(A, B) */
export const typescriptBackend: LinalgBackend = defineBackend({ name: 'typescript', kernels: typescriptKernels });
