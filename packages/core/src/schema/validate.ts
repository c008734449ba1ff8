import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { Static, TSchema } from '@sinclair/typebox';
import { ARRAY_KEYWORD, type ArrayKind } from './types.js';
import { ParsimonyError, type ParsimonyErrorCode } from './errors.js';

/** Describes the first non-finite entry of a numeric array, or undefined. */
function firstNonFinite(data: ArrayLike<number>): string | undefined {
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (!Number.isFinite(v)) return `[${i}] is ${v}`;
  }
  return undefined;
}

/** Checks the in-memory form of an array keyword; returns a problem or undefined. */
function checkArray(kind: ArrayKind, value: unknown): string | undefined {
  if (kind === 'vector') {
    if (!(value instanceof Float64Array)) return 'must be a vector (Float64Array, or an array of numbers in JSON)';
    const bad = firstNonFinite(value);
    return bad && `entry ${bad}; expected a finite number`;
  }
  if (kind === 'int-vector') {
    if (!(value instanceof Int32Array)) return 'must be an index vector (Int32Array, or an array of integers in JSON)';
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return 'must be a matrix {rows, cols, data}';
  const m = value as { rows?: unknown; cols?: unknown; data?: unknown };
  if (!Number.isInteger(m.rows) || (m.rows as number) < 0) return `.rows must be a non-negative integer (got ${String(m.rows)})`;
  if (!Number.isInteger(m.cols) || (m.cols as number) < 0) return `.cols must be a non-negative integer (got ${String(m.cols)})`;
  if (!(m.data instanceof Float64Array)) return '.data must be a Float64Array (an array of numbers in JSON)';
  const want = (m.rows as number) * (m.cols as number);
  if (m.data.length !== want) return `.data has ${m.data.length} entries; expected rows*cols = ${m.rows}*${m.cols} = ${want}`;
  const bad = firstNonFinite(m.data);
  return bad && `.data entry ${bad}; expected a finite number`;
}

function makeAjv(): Ajv {
  const ajv = new Ajv({ allErrors: false, useDefaults: true, strict: false, coerceTypes: false, verbose: true });
  ajv.addKeyword({
    keyword: ARRAY_KEYWORD,
    errors: true,
    validate: function validateArray(kind: ArrayKind, value: unknown): boolean {
      const problem = checkArray(kind, value);
      if (problem === undefined) return true;
      (validateArray as unknown as { errors: Partial<ErrorObject>[] }).errors = [
        { keyword: ARRAY_KEYWORD, message: problem, params: { kind } },
      ];
      return false;
    },
  });
  return ajv;
}

/** The shared ajv instance: defaults filled in, array keyword registered. */
export const ajv = makeAjv();

const cache = new WeakMap<object, ValidateFunction>();

function compiled(schema: TSchema): ValidateFunction {
  let fn = cache.get(schema);
  if (!fn) {
    fn = ajv.compile(schema);
    cache.set(schema, fn);
  }
  return fn;
}

/**
 * Compiles a schema's validator now (it is otherwise compiled on first use,
 * which takes milliseconds): for a process that will validate against it
 * many times, e.g. a bench worker warming up before its first job.
 */
export function precompile(schema: TSchema): void {
  compiled(schema);
}

/** `/a/0/b` -> `.a[0].b` */
function pathOf(instancePath: string): string {
  if (!instancePath) return '';
  return instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`))
    .join('');
}

function valueAt(root: unknown, instancePath: string): unknown {
  let v: unknown = root;
  for (const p of instancePath.split('/').slice(1)) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[p.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return v;
}

function show(v: unknown): string {
  if (v instanceof Float64Array || v instanceof Int32Array) return `${v.constructor.name}(${v.length})`;
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v);
  if (typeof v === 'object' && v !== null) return Array.isArray(v) ? `an array of ${v.length}` : 'an object';
  return String(v);
}

/** Turns one ajv error into a sentence that names the field and the expected form. */
export function describeAjvError(label: string, err: ErrorObject, root: unknown): { field: string; message: string } {
  const field = label + pathOf(err.instancePath);
  const params = err.params as Record<string, unknown>;
  switch (err.keyword) {
    case 'required':
      return { field: `${field}.${String(params.missingProperty)}`, message: `${field} is missing the required field '${String(params.missingProperty)}'` };
    case 'additionalProperties': {
      const schemaProps = Object.keys((err.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      const extra = String(params.additionalProperty);
      return {
        field: `${field}.${extra}`,
        message: `${field} has an unknown field '${extra}'` + (schemaProps.length ? `; allowed fields: ${schemaProps.join(', ')}` : ''),
      };
    }
    case ARRAY_KEYWORD:
      return { field, message: `${field} ${err.message ?? 'is not a valid array'}` };
    case 'enum':
      return { field, message: `${field} must be one of ${(params.allowedValues as unknown[]).map((x) => JSON.stringify(x)).join(', ')} (got ${show(valueAt(root, err.instancePath))})` };
    case 'const':
      return { field, message: `${field} must be ${JSON.stringify(params.allowedValue)} (got ${show(valueAt(root, err.instancePath))})` };
    default:
      return { field, message: `${field} ${err.message ?? 'is invalid'} (got ${show(valueAt(root, err.instancePath))})` };
  }
}

/**
 * Validates `value` against `schema` in place (filling defaults) and returns
 * it typed, or throws a {@link ParsimonyError} whose message names the field.
 */
export function assertValid<S extends TSchema>(
  schema: S,
  value: unknown,
  label: string,
  code: ParsimonyErrorCode,
): Static<S> {
  const fn = compiled(schema);
  if (fn(value)) return value as Static<S>;
  const err = fn.errors![0];
  const { field, message } = describeAjvError(label, err, value);
  throw new ParsimonyError(code, message, field);
}

/** Like {@link assertValid} but returns the problem instead of throwing. */
export function checkValid(schema: TSchema, value: unknown, label: string): { field: string; message: string } | undefined {
  const fn = compiled(schema);
  if (fn(value)) return undefined;
  return describeAjvError(label, fn.errors![0], value);
}
