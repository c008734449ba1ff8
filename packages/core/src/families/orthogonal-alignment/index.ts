import { defineFamily } from '../../plugin/family.js';
import { Matrix } from '../../linalg/index.js';
import { expectShape } from '../common.js';
import { OrthogonalAlignmentObservation, OrthogonalAlignmentParams, OrthogonalAlignmentSolution, OrthogonalAlignmentTruth } from './schema.js';
import { generateOrthogonalAlignment } from './generate.js';
import { orthDefect, orthogonalAlignmentMetrics, scoreOrthogonalAlignment } from './score.js';

export * from './schema.js';
export { generateOrthogonalAlignment } from './generate.js';
export { orthDefect } from './score.js';

/** ||QᵀQ - I||_F above this (relative to √d) breaks the `orthogonal` constraint. */
const ORTHO_TOL = 1e-6;

/**
 * Map one representation (or weight) space onto another: an orthogonal map,
 * a permutation, or a λ-orthogonal map. See README.md in this folder.
 *
 * @example
 * const { observation, truth } = generateInstance(orthogonalAlignment, { N: 100, d: 8 }, [1]);
 */
export const orthogonalAlignment = defineFamily({
  id: 'orthogonal-alignment',
  title: 'Orthogonal alignment',
  summary: 'Find the orthogonal map, permutation or nearly orthogonal map Q with Xa Q ≈ Xb from paired rows, judged on held-out pairs.',
  schemas: {
    params: OrthogonalAlignmentParams,
    observation: OrthogonalAlignmentObservation,
    truth: OrthogonalAlignmentTruth,
    solution: OrthogonalAlignmentSolution,
  },
  metrics: orthogonalAlignmentMetrics,
  presets: {
    quick: { N: 1000, d: 64 },
    default: { N: 4000, d: 128 },
    scale: [32, 64, 128, 256, 512].map((d) => ({ N: 16 * d, d })),
  },
  generate: generateOrthogonalAlignment,
  checkObservation(obs) {
    const p = expectShape('observation.Xb', obs.Xb, obs.Xa.rows, obs.Xa.cols);
    if (p) return p;
    if (obs.constraint === 'relaxed' && obs.lambda === undefined) return { field: 'observation.lambda', message: "observation.lambda is required when constraint is 'relaxed'" };
    return undefined;
  },
  checkSolution(obs, sol) {
    const d = obs.Xa.cols;
    const p = expectShape('solution.Q', sol.Q, d, d);
    if (p) return p;
    if (obs.constraint === 'permutation') {
      const colSeen = new Uint8Array(d);
      for (let i = 0; i < d; i++) {
        let ones = 0;
        for (let j = 0; j < d; j++) {
          const v = sol.Q.data[i * d + j];
          if (v !== 0 && v !== 1) return { field: `solution.Q.data[${i * d + j}]`, message: `solution.Q[${i}][${j}] = ${v}; a permutation matrix has entries 0 or 1` };
          if (v === 1) {
            ones++;
            if (colSeen[j]++) return { field: 'solution.Q', message: `solution.Q has two ones in column ${j}; a permutation matrix has exactly one per row and column` };
          }
        }
        if (ones !== 1) return { field: 'solution.Q', message: `solution.Q row ${i} has ${ones} ones; a permutation matrix has exactly one per row and column` };
      }
      return undefined;
    }
    const defect = orthDefect(sol.Q);
    const bound = obs.constraint === 'orthogonal' ? ORTHO_TOL * Math.sqrt(d) : obs.lambda! * (1 + 1e-9);
    if (!(defect <= bound)) {
      return {
        field: 'solution.Q',
        message: `solution.Q has ||QᵀQ - I||_F = ${defect.toExponential(3)} > ${obs.constraint === 'orthogonal' ? `${ORTHO_TOL}·√${d}` : `λ = ${obs.lambda}`} (constraint '${obs.constraint}')`,
      };
    }
    return undefined;
  },
  trivialSolution: (obs) => ({ Q: Matrix.eye(obs.Xa.cols) }),
  score: scoreOrthogonalAlignment,
});
