import type { TSchema } from '@sinclair/typebox';
import { ARRAY_KEYWORD, type ArrayKind } from './types.js';
import { ParsimonyError, type ParsimonyErrorCode } from './errors.js';

type Json = unknown;

function toNumbers(v: Json, path: string, code: ParsimonyErrorCode, integer: boolean): number[] | ArrayLike<number> {
  if (v instanceof Float64Array || v instanceof Int32Array) return v;
  if (!Array.isArray(v)) {
    throw new ParsimonyError(code, `${path} must be an array of ${integer ? 'integers' : 'numbers'} (got ${v === null ? 'null' : typeof v})`, path);
  }
  for (let i = 0; i < v.length; i++) {
    const x = v[i] as unknown;
    if (typeof x !== 'number' || !Number.isFinite(x) || (integer && !Number.isInteger(x))) {
      throw new ParsimonyError(
        code,
        `${path}[${i}] is ${x === null ? 'null (NaN or Infinity in JSON)' : JSON.stringify(x)}; expected a finite ${integer ? 'integer' : 'number'}`,
        `${path}[${i}]`,
      );
    }
  }
  return v as number[];
}

/**
 * Converts the JSON (file) form of a value to its in-memory form, guided by
 * the schema: vectors become Float64Array, index vectors Int32Array, matrices
 * `{rows, cols, data: Float64Array}`. Everything else is copied as is; the
 * schema validation that follows checks it. Non-finite entries are reported
 * with their index.
 */
export function decode(schema: TSchema, value: Json, path: string, code: ParsimonyErrorCode): unknown {
  const s = schema as Record<string, unknown>;
  const kind = s[ARRAY_KEYWORD] as ArrayKind | undefined;
  if (kind === 'vector') return Float64Array.from(toNumbers(value, path, code, false));
  if (kind === 'int-vector') return Int32Array.from(toNumbers(value, path, code, true));
  if (kind === 'matrix') {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new ParsimonyError(code, `${path} must be a matrix {"rows": m, "cols": n, "data": [...]} (row-major)`, path);
    }
    const m = value as Record<string, Json>;
    const data = Float64Array.from(toNumbers(m.data, `${path}.data`, code, false));
    return { ...m, data };
  }
  if (Array.isArray(s.anyOf)) {
    // A union: use the first branch that decodes without error, trying first the object
    // branches whose literal fields (a `kind` tag) match the value, so a tagged union of
    // objects decodes the fields of its own branch.
    const branches = s.anyOf as TSchema[];
    const tagged = branches.filter((b) => literalsMatch(b, value));
    for (const branch of [...tagged, ...branches.filter((b) => !tagged.includes(b))]) {
      try {
        return decode(branch, value, path, code);
      } catch {
        /* try the next branch */
      }
    }
  }
  if (Array.isArray(value) && s.items && typeof s.items === 'object') {
    return value.map((v, i) => decode(s.items as TSchema, v, `${path}[${i}]`, code));
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value)) {
    const props = (s.properties ?? {}) as Record<string, TSchema>;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, Json>)) {
      out[k] = props[k] ? decode(props[k], v, `${path}.${k}`, code) : v;
    }
    return out;
  }
  return value;
}

/** True when `schema` is an object schema with at least one literal (`const`) field and the value has them all. */
function literalsMatch(schema: TSchema, value: Json): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const props = (schema as { properties?: Record<string, { const?: unknown }> }).properties;
  if (!props) return false;
  const literals = Object.entries(props).filter(([, p]) => p.const !== undefined);
  return literals.length > 0 && literals.every(([k, p]) => (value as Record<string, unknown>)[k] === p.const);
}

/**
 * The JSON form of an in-memory value: typed arrays become plain arrays.
 * (Values that may be infinite on purpose, like `snrDb`, are declared as
 * `number | "inf"` in their schema, so JSON never needs to carry Infinity.)
 */
export function encode(value: unknown): unknown {
  if (value instanceof Float64Array || value instanceof Int32Array || value instanceof Float32Array) return Array.from(value);
  if (Array.isArray(value)) return value.map(encode);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = encode(v);
    return out;
  }
  return value;
}
