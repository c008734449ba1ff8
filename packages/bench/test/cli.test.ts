import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { main } from '../src/cli.js';

/** Runs the CLI in-process and captures its output and exit code. */
async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '', err = '';
  const code = await main(['node', 'parsimony', ...args], { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

const tmp = () => mkdtempSync(join(tmpdir(), 'parsimony-cli-'));

describe('parsimony list', () => {
  test('--json lists the families, the baselines plugin and its OMP solver', async () => {
    const { code, out } = await cli('list', '--json');
    expect(code).toBe(0);
    const l = JSON.parse(out);
    expect(l.families.map((f: { id: string }) => f.id)).toContain('sparse-recovery');
    expect(l.solvers).toContainEqual({ id: 'baselines/omp', family: 'sparse-recovery', plugin: '@parsimony/plugin-baselines', title: 'Orthogonal Matching Pursuit' });
    expect(l.plugins.map((p: { name: string }) => p.name)).toContain('@parsimony/plugin-baselines');
  });

  test('the table form names each section', async () => {
    const { code, out } = await cli('list');
    expect(code).toBe(0);
    expect(out).toMatch(/^Families \(\d+\)/);
    expect(out).toContain('baselines/omp');
  });
});

describe('generate, solve, score', () => {
  test('end to end: OMP recovers the quick instance (nmse_db < -25)', async () => {
    const dir = tmp();
    expect((await cli('generate', 'sparse-recovery', '--seed', '1', '--out', dir)).code).toBe(0);
    const solve = await cli('solve', 'baselines/omp', '--input', join(dir, 'observation.json'), '--output', join(dir, 'sol.json'));
    expect(solve.code, solve.err).toBe(0);
    const score = await cli('score', 'sparse-recovery', '--observation', join(dir, 'observation.json'), '--truth', join(dir, 'truth.json'), '--solution', join(dir, 'sol.json'));
    expect(score.code, score.err).toBe(0);
    const metrics = JSON.parse(score.out);
    expect(metrics.nmse_db).toBeLessThan(-25);
    expect(metrics.support_f1).toBe(1);
  });

  test('the same seed gives byte-identical files; another seed differs', async () => {
    const [a, b, c] = [tmp(), tmp(), tmp()];
    await cli('generate', 'sparse-recovery', '--seed', '5', '--out', a);
    await cli('generate', 'sparse-recovery', '--seed', '5', '--out', b);
    await cli('generate', 'sparse-recovery', '--seed', '6', '--out', c);
    for (const f of ['observation.json', 'truth.json', 'params.json']) {
      expect(readFileSync(join(a, f)).equals(readFileSync(join(b, f)))).toBe(true);
    }
    expect(readFileSync(join(a, 'observation.json')).equals(readFileSync(join(c, 'observation.json')))).toBe(false);
  });

  test('solve prints the solution to stdout without --output', async () => {
    const dir = tmp();
    await cli('generate', 'sparse-recovery', '--params', '{"m":20,"n":40,"k":2}', '--out', dir);
    const { code, out } = await cli('solve', 'baselines/omp', '--input', join(dir, 'observation.json'));
    expect(code).toBe(0);
    expect(JSON.parse(out).x).toHaveLength(40);
  });
});

describe('bad input: one clear line, exit code 2, no stack trace', () => {
  const oneLine = (err: string) => {
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).not.toMatch(/\n\s+at /);
  };

  test('unknown family', async () => {
    const r = await cli('generate', 'nope', '--out', tmp());
    expect(r.code).toBe(2);
    expect(r.err).toContain("unknown family 'nope'; known families: sparse-recovery");
    oneLine(r.err);
  });

  test('unknown solver suggests near ids', async () => {
    const r = await cli('solve', 'baselines/ompp', '--input', 'x.json');
    expect(r.code).toBe(2);
    expect(r.err).toContain("unknown solver 'baselines/ompp'");
    oneLine(r.err);
  });

  test('bad generator params name the field', async () => {
    const r = await cli('generate', 'sparse-recovery', '--params', '{"m": -3}', '--out', tmp());
    expect(r.code).toBe(2);
    expect(r.err).toBe('parsimony: sparse-recovery: params.m must be >= 1 (got -3)\n');
  });

  test('malformed --params JSON', async () => {
    const r = await cli('generate', 'sparse-recovery', '--params', '{m:', '--out', tmp());
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--params <json>.*not valid JSON/);
  });

  test('malformed observation file', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'o.json'), '{"A": [1, 2');
    const r = await cli('solve', 'baselines/omp', '--input', join(dir, 'o.json'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^parsimony: observation: not valid JSON/);
    oneLine(r.err);
  });

  test('wrong shape: y does not match A', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'o.json'), JSON.stringify({ A: { rows: 2, cols: 2, data: [1, 0, 0, 1] }, y: [1, 2, 3] }));
    const r = await cli('solve', 'baselines/omp', '--input', join(dir, 'o.json'));
    expect(r.code).toBe(2);
    expect(r.err).toBe('parsimony: sparse-recovery: observation.y has 3 entries, A has 2 rows\n');
  });

  test('NaN (null in JSON) in the observation names the entry', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'o.json'), JSON.stringify({ A: { rows: 1, cols: 2, data: [1, null] }, y: [1] }));
    const r = await cli('solve', 'baselines/omp', '--input', join(dir, 'o.json'));
    expect(r.code).toBe(2);
    expect(r.err).toBe('parsimony: observation.A.data[1] is null (NaN or Infinity in JSON); expected a finite number\n');
  });

  test('bad solver params name the parameter', async () => {
    const dir = tmp();
    await cli('generate', 'sparse-recovery', '--params', '{"m":10,"n":20,"k":2}', '--out', dir);
    const r = await cli('solve', 'baselines/omp', '--input', join(dir, 'observation.json'), '--params', '{"k": 0}');
    expect(r.code).toBe(2);
    expect(r.err).toBe('parsimony: baselines/omp: params.k must be >= 1 (got 0)\n');
  });

  test('a solution of the wrong length is reported invalid, not scored', async () => {
    const dir = tmp();
    await cli('generate', 'sparse-recovery', '--params', '{"m":10,"n":20,"k":2}', '--out', dir);
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ x: [1, 2, 3] }));
    const r = await cli('score', 'sparse-recovery', '--observation', join(dir, 'observation.json'), '--truth', join(dir, 'truth.json'), '--solution', join(dir, 'bad.json'));
    expect(r.code).toBe(2);
    expect(r.err).toBe('parsimony: the solution is invalid: solution.x has 3 entries, expected n = 20\n');
  });

  test('missing file', async () => {
    const r = await cli('solve', 'baselines/omp', '--input', '/nonexistent/o.json');
    expect(r.code).toBe(2);
    expect(r.err).toBe("parsimony: cannot read observation file '/nonexistent/o.json'\n");
  });

  test('unknown command', async () => {
    const r = await cli('frobnicate');
    expect(r.code).toBe(2);
    expect(r.err).toContain("unknown command 'frobnicate'");
  });
});
