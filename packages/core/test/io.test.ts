import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { Matrix, decodeNpy, encodeNpy, readJsonFile, sparseRecovery, writeJsonFile, generateInstance } from '../src/index.js';

describe('.npy', () => {
  test('round-trips matrices and vectors bit for bit (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 }), fc.array(fc.double(), { minLength: 36, maxLength: 36 }), (r, c, vals) => {
        const m = Matrix.from(r, c, Float64Array.from(vals.slice(0, r * c)));
        const back = decodeNpy(encodeNpy(m));
        expect(back.shape).toEqual([r, c]);
        expect(Buffer.from(back.data.buffer).equals(Buffer.from(m.data.buffer))).toBe(true);
      }),
    );
    const v = new Float64Array([1, -2.5, 3e300]);
    expect(decodeNpy(encodeNpy(v))).toEqual({ shape: [3], data: v });
  });

  test('the header is 64-byte aligned, as numpy writes it', () => {
    const bytes = encodeNpy(Matrix.zeros(3, 4));
    const headerLen = bytes[8] | (bytes[9] << 8);
    expect((10 + headerLen) % 64).toBe(0);
    expect(new TextDecoder().decode(bytes.subarray(10, 10 + headerLen))).toContain("'shape': (3, 4)");
  });

  test('reads files written by numpy (little- and big-endian float64)', () => {
    // Made by test/fixtures/io/make_io_fixtures.py with numpy's np.save.
    const fixture = (f: string) => readFileSync(join(import.meta.dirname, 'fixtures', 'io', f));
    expect(decodeNpy(fixture('arange_2x3_f8.npy'))).toEqual({ shape: [2, 3], data: new Float64Array([0, 1, 2, 3, 4, 5]) });
    expect(decodeNpy(fixture('vector_be_f8.npy'))).toEqual({ shape: [3], data: new Float64Array([1.5, -2, 1e-300]) });
    // And what we write is what numpy writes, byte for byte.
    expect(Buffer.from(encodeNpy(Matrix.fromRows([[0, 1, 2], [3, 4, 5]]))).equals(fixture('arange_2x3_f8.npy'))).toBe(true);
  });

  test('rejects other dtypes and Fortran order with a clear message', () => {
    const bytes = encodeNpy(new Float64Array(2));
    const text = new TextDecoder('latin1').decode(bytes).replace('<f8', '<f4');
    expect(() => decodeNpy(Uint8Array.from(text, (c) => c.charCodeAt(0)), 'a.npy')).toThrow("a.npy: dtype <f4 is not supported; save float64 ('<f8')");
    expect(() => decodeNpy(new Uint8Array(12), 'b.npy')).toThrow('b.npy: not a .npy file');
  });
});

describe('JSON files', () => {
  test('observations round-trip through files, and $npy references are inlined', () => {
    const dir = mkdtempSync(join(tmpdir(), 'parsimony-io-'));
    const { observation } = generateInstance(sparseRecovery, { m: 6, n: 10, k: 2 }, [3]);
    writeJsonFile(join(dir, 'obs.json'), observation);
    const back = readJsonFile(join(dir, 'obs.json'), sparseRecovery.schemas.observation, 'observation', 'PARSIMONY_BAD_OBSERVATION');
    expect(back.A.data).toEqual(observation.A.data);
    expect(back.y).toEqual(observation.y);

    writeFileSync(join(dir, 'A.npy'), encodeNpy(observation.A));
    const withRef = { ...JSON.parse(readFileSync(join(dir, 'obs.json'), 'utf8')), A: { $npy: 'A.npy' } };
    writeFileSync(join(dir, 'ref.json'), JSON.stringify(withRef));
    const viaNpy = readJsonFile(join(dir, 'ref.json'), sparseRecovery.schemas.observation, 'observation', 'PARSIMONY_BAD_OBSERVATION');
    expect(viaNpy.A).toEqual(observation.A);
  });
});
