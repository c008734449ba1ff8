import { Matrix } from '@parsimony/core';

/** What {@link quantizeInBlocks} needs of a quantizer. */
export interface BlockQuantizer<C> {
  /** Bits of one vector's code. */
  readonly bitsPerVector: number;
  allocate(n: number): C;
  encodeRows(X: Matrix, r0: number, r1: number, codes: C): void;
  decodeRows(codes: C, r0: number, r1: number, out: Matrix): void;
}

/** Vectors per block: the signal is polled and progress reported between blocks. */
export const BLOCK = 1024;

/**
 * Encodes the rows of X block by block (each vector on its own: a block is
 * only a batch for the GEMMs), decodes each block from its codes, polls
 * `signal` before every block and calls `onBlock(block, rowsDone, errSum)`
 * after it, errSum = Σ ‖x_i − x̂_i‖² / ‖x_i‖² over the rows done.
 */
export function quantizeInBlocks<C>(
  quantizer: BlockQuantizer<C>,
  X: Matrix,
  signal?: AbortSignal,
  onBlock?: (block: number, rowsDone: number, errSum: number) => void,
): { Xhat: Matrix; codes: C; codeBits: number } {
  const codes = quantizer.allocate(X.rows);
  const Xhat = Matrix.zeros(X.rows, X.cols);
  let err = 0;
  for (let r0 = 0, block = 1; r0 < X.rows; r0 += BLOCK, block++) {
    signal?.throwIfAborted();
    const r1 = Math.min(X.rows, r0 + BLOCK);
    quantizer.encodeRows(X, r0, r1, codes);
    quantizer.decodeRows(codes, r0, r1, Xhat);
    if (onBlock) {
      err += relativeError(X, Xhat, r0, r1);
      onBlock(block, r1, err);
    }
  }
  return { Xhat, codes, codeBits: X.rows * quantizer.bitsPerVector };
}

/** Σ_i ‖x_i − x̂_i‖² / ‖x_i‖² over rows [r0, r1) (zero rows count 0). */
function relativeError(X: Matrix, Xhat: Matrix, r0: number, r1: number): number {
  const d = X.cols;
  let sum = 0;
  for (let i = r0; i < r1; i++) {
    let e = 0, x = 0;
    for (let j = i * d; j < (i + 1) * d; j++) {
      e += (X.data[j] - Xhat.data[j]) ** 2;
      x += X.data[j] ** 2;
    }
    sum += x > 0 ? e / x : 0;
  }
  return sum;
}
