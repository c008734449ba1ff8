import type { Matrix } from '../linalg/matrix.js';
import { ParsimonyError } from '../schema/errors.js';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** A decoded .npy array: its shape and float64 data in C (row-major) order. */
export interface NpyArray {
  readonly shape: number[];
  readonly data: Float64Array;
}

/**
 * Encodes a vector or matrix as a NumPy `.npy` file (format 1.0, `<f8`, C
 * order), readable by `numpy.load`.
 */
export function encodeNpy(value: Float64Array | Matrix): Uint8Array {
  const shape = value instanceof Float64Array ? `(${value.length},)` : `(${value.rows}, ${value.cols})`;
  const data = value instanceof Float64Array ? value : value.data;
  let header = `{'descr': '<f8', 'fortran_order': False, 'shape': ${shape}, }`;
  // Pad so the data starts on a 64-byte boundary, header ends with '\n'.
  const total = MAGIC.length + 2 + 2 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + data.length * 8);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  const dv = new DataView(out.buffer, 10 + header.length);
  for (let i = 0; i < data.length; i++) dv.setFloat64(i * 8, data[i], true);
  return out;
}

/** Decodes a `.npy` file holding float64 (little or big endian) in C order. */
export function decodeNpy(bytes: Uint8Array, where = 'npy'): NpyArray {
  const bad = (msg: string) => new ParsimonyError('PARSIMONY_BAD_INPUT', `${where}: ${msg}`);
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) throw bad('not a .npy file (bad magic string)');
  const major = bytes[6];
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = major === 1 ? dv.getUint16(8, true) : dv.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  const header = new TextDecoder('latin1').decode(bytes.subarray(start, start + headerLen));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr !== '<f8' && descr !== '>f8') throw bad(`dtype ${descr ?? '?'} is not supported; save float64 ('<f8')`);
  if (fortran !== 'False') throw bad('Fortran-order arrays are not supported; save with np.ascontiguousarray');
  if (shapeText === undefined) throw bad('header has no shape');
  const shape = shapeText.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  const offset = start + headerLen;
  if (bytes.length - offset < count * 8) throw bad(`file holds ${(bytes.length - offset) / 8} values, shape ${shapeText} needs ${count}`);
  const data = new Float64Array(count);
  const le = descr === '<f8';
  for (let i = 0; i < count; i++) data[i] = dv.getFloat64(offset + i * 8, le);
  return { shape, data };
}

/** A 2-D `.npy` array as a Matrix (a 1-D one as a single row). */
export function npyToMatrix(a: NpyArray, where = 'npy'): Matrix {
  if (a.shape.length === 2) return { rows: a.shape[0], cols: a.shape[1], data: a.data };
  if (a.shape.length === 1) return { rows: 1, cols: a.shape[0], data: a.data };
  throw new ParsimonyError('PARSIMONY_BAD_INPUT', `${where}: expected a 1-D or 2-D array, got shape (${a.shape.join(', ')})`);
}
