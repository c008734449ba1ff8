import { readFileSync, writeFileSync, renameSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { TSchema, Static } from '@sinclair/typebox';
import { decode, encode } from '../schema/decode.js';
import { assertValid } from '../schema/validate.js';
import { ParsimonyError, type ParsimonyErrorCode } from '../schema/errors.js';
import { decodeNpy, npyToMatrix } from './npy.js';

/** Serializes an in-memory value (typed arrays, matrices) as JSON text. */
export function toJsonText(value: unknown, indent?: number): string {
  return JSON.stringify(encode(value), null, indent) + '\n';
}

/**
 * Replaces `{"$npy": "file.npy"}` references (relative to `baseDir`) by the
 * arrays they name, so large matrices can live in .npy files next to the JSON.
 */
function inlineNpy(value: unknown, baseDir: string, path: string): unknown {
  if (Array.isArray(value)) return value.map((v, i) => inlineNpy(v, baseDir, `${path}[${i}]`));
  if (typeof value !== 'object' || value === null) return value;
  const obj = value as Record<string, unknown>;
  if (typeof obj.$npy === 'string' && Object.keys(obj).length === 1) {
    const file = resolve(baseDir, obj.$npy);
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(file);
    } catch {
      throw new ParsimonyError('PARSIMONY_BAD_INPUT', `${path}: cannot read ${file}`, path);
    }
    const arr = decodeNpy(bytes, file);
    if (arr.shape.length === 1) return Array.from(arr.data);
    const m = npyToMatrix(arr, file);
    return { rows: m.rows, cols: m.cols, data: m.data };
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) out[k] = inlineNpy(v, baseDir, `${path}.${k}`);
  return out;
}

/**
 * Parses JSON text into the in-memory form of `schema` and validates it.
 * Errors name the field: `observation.y[3] is null (NaN or Infinity in JSON); expected a finite number`.
 */
export function parseJson<S extends TSchema>(text: string, schema: S, label: string, code: ParsimonyErrorCode, baseDir = '.'): Static<S> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ParsimonyError(code, `${label}: not valid JSON (${(e as Error).message})`, label);
  }
  const decoded = decode(schema, inlineNpy(raw, baseDir, label), label, code);
  return assertValid(schema, decoded, label, code);
}

/** Reads and validates a JSON file (see {@link parseJson}); `$npy` references resolve next to it. */
export function readJsonFile<S extends TSchema>(file: string, schema: S, label: string, code: ParsimonyErrorCode): Static<S> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new ParsimonyError('PARSIMONY_BAD_INPUT', `cannot read ${label} file '${file}'`, label);
  }
  return parseJson(text, schema, label, code, dirname(resolve(file)));
}

/**
 * Writes a value as JSON atomically (temp file + rename), so a crash never
 * leaves a half-written file behind.
 */
export function writeJsonFile(file: string, value: unknown, indent?: number): void {
  mkdirSync(dirname(resolve(file)), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, toJsonText(value, indent));
  renameSync(tmp, file);
}
