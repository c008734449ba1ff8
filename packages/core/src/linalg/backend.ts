import type { Matrix } from './matrix.js';
import { axpy, dot, matvec, nrm2 } from './blas.js';

/**
 * The kernels a solver may take from `ctx.linalg`. Core checks nothing here:
 * implementations compute only, so a faster backend (e.g. WebAssembly SIMD)
 * replaces the TypeScript one for every solver by registering itself under
 * the `LinalgBackendToken`.
 */
export interface LinalgBackend {
  /** A short name, shown in run manifests (`'typescript'`). */
  readonly name: string;
  dot(x: Float64Array, y: Float64Array): number;
  axpy(alpha: number, x: Float64Array, y: Float64Array): void;
  nrm2(x: Float64Array): number;
  /** y = A x, or Aᵀ x when `trans`. */
  matvec(a: Matrix, x: Float64Array, trans?: boolean, out?: Float64Array): Float64Array;
}

/** The default backend: plain TypeScript over Float64Array. */
export const typescriptBackend: LinalgBackend = {
  name: 'typescript',
  dot,
  axpy,
  nrm2,
  matvec,
};
