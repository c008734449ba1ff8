/**
 * Cost of forest BCD with message passing against red–black Gauss–Seidel on
 * the label-propagation task (paper 21 (b)) as the grid grows: g = 20, 50,
 * 100, 200 (n = g² from 400 to 40 000; the paper's scale task is g = 300).
 * Both iterations cost O(n) — a message pass over half the rows against a
 * point update of half the unknowns — so the time ratio follows the ratio of
 * iterations (about 1/2) times the cost ratio of one iteration. One instance
 * per size from a fixed seed, built outside the timed body; both solve to a
 * relative residual of 1e-8; outputs are checked, never timed in a test.
 * Run from packages/plugins/bcd-greedy:
 *
 *   npx vitest bench --run bench/forest-bcd.bench.ts
 */
import { afterAll, bench, describe } from 'vitest';
import { generateInstance, linearSystem, stoppingResidual } from '@parsimony/core';
import { redBlackGaussSeidel } from '@parsimony/plugin-baselines';
import { forestBcd } from '../src/index.js';

const notes: string[] = [];
const opts = { iterations: 3, time: 0, warmupIterations: 1, warmupTime: 0 };

for (const g of [20, 50, 100, 200]) {
  const { observation: o } = generateInstance(linearSystem, { variant: 'single', matrix: 'label-propagation', grid: g }, ['bench/forest-bcd', g]);
  const system = { Acsr: o.Acsr!, b: o.b! };
  const check = (name: string, r: { x: Float64Array; iterations: number }) => {
    const res = stoppingResidual(system, r.x, false);
    if (!(res <= 1e-8)) throw new Error(`${name}: residual ${res} > 1e-8`);
    const line = `${name} n=${g * g}: ${r.iterations} iterations`;
    if (!notes.includes(line)) notes.push(line);
  };
  describe(`label propagation, n=${g * g}`, () => {
    bench(`bcd-greedy:forestBcd:n=${g * g}`, () => check('forestBcd', forestBcd(system, { grid: o.grid, tol: 1e-8 })), opts);
    bench(`baselines:redBlackGaussSeidel:n=${g * g}`, () => check('redBlackGaussSeidel', redBlackGaussSeidel(system, { tol: 1e-8 })), opts);
  });
}

afterAll(() => console.log(notes.join('\n')));
