export { Matrix } from './matrix.js';
export { dot, axpy, nrm2, matvec } from './blas.js';
export { GrowingCholesky } from './cholesky.js';
export { type LinalgBackend, typescriptBackend } from './backend.js';
