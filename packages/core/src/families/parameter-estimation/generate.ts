import { Matrix } from '../../linalg/index.js';
import type { Rng } from '../../random/index.js';
import type { Instance } from '../../plugin/family.js';
import { badParam } from '../common.js';
import { wrapAngle } from './score.js';
import type { ParameterEstimationObservation, ParameterEstimationParams, ParameterEstimationTruth } from './schema.js';

const fail = (field: string, problem: string) => badParam('parameter-estimation', field, problem);

/** True when paths a and b are at least `sep` bins apart in some dimension. */
function separated(f: Matrix, a: number, b: number, shape: readonly number[], sep: number): boolean {
  const R = shape.length;
  for (let r = 0; r < R; r++) if (Math.abs(wrapAngle(f.data[a * R + r] - f.data[b * R + r])) >= (sep * 2 * Math.PI) / shape[r]) return true;
  return false;
}

/** Draws L paths (frequencies, unit-magnitude gains) and samples their sum on the grid, plus complex noise. */
export function generateParameterEstimation(p: ParameterEstimationParams, rng: Rng): Instance<ParameterEstimationObservation, ParameterEstimationTruth> {
  const shape = p.shape ?? Array.from({ length: p.dims }, () => p.n);
  const R = shape.length, L = p.paths;
  const total = shape.reduce((a, b) => a * b, 1);
  if (total > 1 << 24) throw fail('shape', `[${shape.join(', ')}] has ${total} samples; at most 2^24 are supported`);
  if (p.layout === 'close-pair' && L !== 2) throw fail('paths', `= ${L} must be 2 for layout 'close-pair'`);

  const f = Matrix.zeros(L, R);
  const draw = (l: number) => {
    for (let r = 0; r < R; r++) f.data[l * R + r] = rng.uniformIn(-Math.PI, Math.PI);
  };
  if (p.layout === 'close-pair') {
    draw(0);
    for (let r = 0; r < R; r++) f.data[R + r] = f.data[r];
    f.data[R] = wrapAngle(f.data[0] + (p.pairOffset * 2 * Math.PI) / shape[0]);
  } else {
    for (let l = 0; l < L; l++) {
      let tries = 0;
      do {
        if (++tries > 1000) throw fail('minSeparation', `= ${p.minSeparation} bins cannot fit ${L} paths on a [${shape.join(', ')}] grid; lower it or params.paths`);
        draw(l);
      } while (Array.from({ length: l }, (_, k) => k).some((k) => !separated(f, l, k, shape, p.minSeparation)));
    }
  }
  const gRe = new Float64Array(L), gIm = new Float64Array(L);
  for (let l = 0; l < L; l++) {
    const phi = rng.uniformIn(-Math.PI, Math.PI);
    gRe[l] = Math.cos(phi);
    gIm[l] = Math.sin(phi);
  }

  const re = new Float64Array(total), im = new Float64Array(total);
  const idx = new Int32Array(R);
  for (let t = 0; t < total; t++) {
    // idx = the multi-index of sample t (last dimension fastest).
    let rest = t;
    for (let r = R - 1; r >= 0; r--) {
      idx[r] = rest % shape[r];
      rest = Math.floor(rest / shape[r]);
    }
    let sr = 0, si = 0;
    for (let l = 0; l < L; l++) {
      let ph = 0;
      for (let r = 0; r < R; r++) ph += f.data[l * R + r] * idx[r];
      const c = Math.cos(ph), s = Math.sin(ph);
      sr += gRe[l] * c - gIm[l] * s;
      si += gRe[l] * s + gIm[l] * c;
    }
    re[t] = sr;
    im[t] = si;
  }
  let noiseStd = 0;
  if (p.snrDb !== 'inf') {
    noiseStd = Math.pow(10, -p.snrDb / 20);
    const s = noiseStd / Math.SQRT2;
    for (let t = 0; t < total; t++) {
      re[t] += s * rng.normal();
      im[t] += s * rng.normal();
    }
  }
  return {
    observation: { shape: [...shape], re, im, paths: L, ...(p.snrDb !== 'inf' && { noiseStd }) },
    truth: { frequencies: f, gainsRe: gRe, gainsIm: gIm },
  };
}
