import { Type, type SchemaOptions, type TUnsafe } from '@sinclair/typebox';
import type { Matrix } from '../linalg/matrix.js';

/**
 * Schema keyword marking a numeric array. In memory the value is a
 * Float64Array (or a {@link Matrix}); in JSON files it is a plain array (or
 * `{rows, cols, data: [...]}`). `decode` converts the JSON form, and the ajv
 * keyword of the same name checks the in-memory form, entries finite.
 */
export const ARRAY_KEYWORD = 'x-parsimony';

export type ArrayKind = 'vector' | 'matrix' | 'int-vector';

/** A float64 vector: `Float64Array` in memory, an array of numbers in JSON. */
export function TVector(options: SchemaOptions & { minItems?: number } = {}): TUnsafe<Float64Array> {
  return Type.Unsafe<Float64Array>({ ...options, [ARRAY_KEYWORD]: 'vector' });
}

/** An int32 vector (indices): `Int32Array` in memory, an array of integers in JSON. */
export function TIntVector(options: SchemaOptions = {}): TUnsafe<Int32Array> {
  return Type.Unsafe<Int32Array>({ ...options, [ARRAY_KEYWORD]: 'int-vector' });
}

/** A dense row-major matrix: `{rows, cols, data}` with `data` a Float64Array in memory. */
export function TMatrix(options: SchemaOptions = {}): TUnsafe<Matrix> {
  return Type.Unsafe<Matrix>({ ...options, [ARRAY_KEYWORD]: 'matrix' });
}

/**
 * The JSON Schema of the file form of a schema: array keywords become the
 * plain JSON structures they are written as. Use it to document or to
 * validate files with other tools.
 */
export function toFileJsonSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toFileJsonSchema);
  if (typeof schema !== 'object' || schema === null) return schema;
  const s = schema as Record<string, unknown>;
  const kind = s[ARRAY_KEYWORD] as ArrayKind | undefined;
  const { [ARRAY_KEYWORD]: _omit, ...rest } = s;
  if (kind === 'vector') return { ...rest, type: 'array', items: { type: 'number' } };
  if (kind === 'int-vector') return { ...rest, type: 'array', items: { type: 'integer' } };
  if (kind === 'matrix') {
    return {
      ...rest,
      type: 'object',
      required: ['rows', 'cols', 'data'],
      additionalProperties: false,
      properties: {
        rows: { type: 'integer', minimum: 0 },
        cols: { type: 'integer', minimum: 0 },
        data: { type: 'array', items: { type: 'number' }, description: 'row-major, rows*cols entries' },
      },
    };
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(rest)) out[k] = toFileJsonSchema(v);
  return out;
}
