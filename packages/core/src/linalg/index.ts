export { Matrix } from './matrix.js';
export { dot, axpy, nrm2, matvec } from './blas.js';
export { matmul, gemmStrided, type MatmulOptions } from './gemm.js';
export { gram, type GramOptions } from './gram.js';
export { transpose } from './transpose.js';
export { normFro, normSpectral, type NormSpectralOptions } from './norms.js';
export { CsrMatrix, csrMatvec } from './csr.js';
export { qr, type QrResult } from './qr.js';
export { qrPivoted, type PivotedQrResult, type QrPivotedOptions } from './qr-pivoted.js';
export { cholesky, choleskySolve, choleskyUpdate, choleskyDowndate, GrowingCholesky } from './cholesky.js';
export { solveTriangular, type TriangularOptions } from './triangular.js';
export { lu, type LuResult, type LuPacked } from './lu.js';
export { solve } from './solve.js';
export { lstsq, type LstsqOptions, type LstsqResult } from './lstsq.js';
export { pinv, type PinvOptions } from './pinv.js';
export { eigh, type EighResult } from './eigh.js';
export { svd, type SvdResult } from './svd.js';
export { randomizedSvd, type RandomizedSvdOptions } from './randomized-svd.js';
export { lanczos, powerIteration, type LanczosOptions, type LanczosResult, type PowerIterationOptions, type SymmetricOperator } from './lanczos.js';
export { fwht, fwht2, type FwhtOptions } from './fwht.js';
export { dct, idct, dct2, idct2 } from './dct.js';
export { kronMatvec, type KronMatvecOptions } from './kron.js';
export {
  defineBackend,
  extendBackend,
  typescriptBackend,
  typescriptKernels,
  KERNEL_NAMES,
  KernelNotRegisteredError,
  type BackendSpec,
  type KernelName,
  type LinalgBackend,
  type LinalgKernels,
} from './backend.js';
export { SimdColumns, SimdMatrix, setSimdEnabled, simdEnabled } from './wasm/simd.js';
export { fft } from './fft.js';
export { hungarian } from './assignment.js';
