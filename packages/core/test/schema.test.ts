import { Type } from '@sinclair/typebox';
import { describe, expect, test } from 'vitest';
import { ParsimonyError, TMatrix, TVector, assertValid, decode, encode, parseJson, toFileJsonSchema } from '../src/index.js';

const Obs = Type.Object({ A: TMatrix(), y: TVector(), k: Type.Optional(Type.Integer({ minimum: 1 })) }, { additionalProperties: false });

function errorOf(fn: () => unknown): ParsimonyError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ParsimonyError) return e;
    throw e;
  }
  throw new Error('expected a ParsimonyError');
}

describe('validation errors name the field and the expected form', () => {
  const ok = () => ({ A: { rows: 2, cols: 2, data: new Float64Array([1, 0, 0, 1]) }, y: new Float64Array([1, 2]) });

  test('a valid value passes and is returned typed', () => {
    expect(assertValid(Obs, ok(), 'observation', 'PARSIMONY_BAD_OBSERVATION').y.length).toBe(2);
  });

  test('missing field', () => {
    const e = errorOf(() => assertValid(Obs, { A: ok().A }, 'observation', 'PARSIMONY_BAD_OBSERVATION'));
    expect(e.message).toBe("observation is missing the required field 'y'");
    expect(e.field).toBe('observation.y');
    expect(e.code).toBe('PARSIMONY_BAD_OBSERVATION');
  });

  test('unknown field lists the allowed ones', () => {
    const e = errorOf(() => assertValid(Obs, { ...ok(), kk: 3 }, 'observation', 'PARSIMONY_BAD_OBSERVATION'));
    expect(e.message).toBe("observation has an unknown field 'kk'; allowed fields: A, y, k");
  });

  test('out-of-range integer quotes the value', () => {
    const e = errorOf(() => assertValid(Obs, { ...ok(), k: 0 }, 'observation', 'PARSIMONY_BAD_OBSERVATION'));
    expect(e.message).toBe('observation.k must be >= 1 (got 0)');
  });

  test('NaN inside a vector names the entry', () => {
    const e = errorOf(() => assertValid(Obs, { ...ok(), y: new Float64Array([1, NaN]) }, 'observation', 'PARSIMONY_BAD_OBSERVATION'));
    expect(e.message).toBe('observation.y entry [1] is NaN; expected a finite number');
  });

  test('matrix with the wrong data length', () => {
    const e = errorOf(() => assertValid(Obs, { ...ok(), A: { rows: 2, cols: 3, data: new Float64Array(4) } }, 'observation', 'PARSIMONY_BAD_OBSERVATION'));
    expect(e.message).toBe('observation.A .data has 4 entries; expected rows*cols = 2*3 = 6');
  });

  test('Infinity inside a matrix names the entry', () => {
    const e = errorOf(() => assertValid(Obs, { ...ok(), A: { rows: 1, cols: 2, data: new Float64Array([0, Infinity]) } }, 'observation', 'PARSIMONY_BAD_OBSERVATION'));
    expect(e.message).toBe('observation.A .data entry [1] is Infinity; expected a finite number');
  });
});

describe('JSON form', () => {
  test('decode turns arrays into typed arrays and round-trips with encode', () => {
    const text = JSON.stringify({ A: { rows: 1, cols: 2, data: [1, 2] }, y: [3] });
    const v = parseJson(text, Obs, 'observation', 'PARSIMONY_BAD_OBSERVATION');
    expect(v.A.data).toBeInstanceOf(Float64Array);
    expect(v.y).toBeInstanceOf(Float64Array);
    expect(JSON.stringify(encode(v))).toBe(text);
  });

  test('null in JSON (NaN written by JSON.stringify) is reported with its index', () => {
    expect(() => parseJson('{"A":{"rows":1,"cols":1,"data":[1]},"y":[1,null]}', Obs, 'observation', 'PARSIMONY_BAD_OBSERVATION')).toThrow(
      'observation.y[1] is null (NaN or Infinity in JSON); expected a finite number',
    );
  });

  test('malformed JSON is a clear error', () => {
    expect(() => parseJson('{"A": ', Obs, 'observation', 'PARSIMONY_BAD_OBSERVATION')).toThrow(/^observation: not valid JSON/);
  });

  test('a string where a vector is expected', () => {
    expect(() => decode(Obs, { A: { rows: 0, cols: 0, data: [] }, y: 'abc' }, 'observation', 'PARSIMONY_BAD_OBSERVATION')).toThrow(
      'observation.y must be an array of numbers (got string)',
    );
  });

  test('a tagged union of objects decodes the matrices of its own branch (sparse-recovery structure)', () => {
    const S = Type.Object({
      s: Type.Union([
        Type.Object({ kind: Type.Literal('blocks'), size: Type.Integer() }),
        Type.Object({ kind: Type.Literal('kronecker'), factors: Type.Array(TMatrix()) }),
      ]),
    });
    const v = parseJson('{"s":{"kind":"kronecker","factors":[{"rows":1,"cols":1,"data":[2]}]}}', S, 'observation', 'PARSIMONY_BAD_OBSERVATION');
    expect(v.s.kind === 'kronecker' && v.s.factors[0].data).toBeInstanceOf(Float64Array);
    expect(parseJson('{"s":{"kind":"blocks","size":3}}', S, 'observation', 'PARSIMONY_BAD_OBSERVATION')).toEqual({ s: { kind: 'blocks', size: 3 } });
  });

  test('the file JSON Schema spells vectors and matrices as plain JSON', () => {
    const s = toFileJsonSchema(Obs) as { properties: Record<string, { type: string }> };
    expect(s.properties.y.type).toBe('array');
    expect(s.properties.A.type).toBe('object');
  });
});
