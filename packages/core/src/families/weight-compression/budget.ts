import type { Matrix } from '../../linalg/matrix.js';
import { matmul } from '../../linalg/gemm.js';
import type { WeightCompressionBudget, WeightCompressionObservation, WeightCompressionSolution, WeightCompressionSolutionLayer } from './schema.js';

type Problem = { field: string; message: string } | undefined;

/** Number of nonzero entries. */
export function nnz(a: Float64Array): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== 0) n++;
  return n;
}

/** ⌈log₂ C(m, n)⌉: index bits of one n:m group. @example nmIndexBits(2, 4) // => 3 */
export function nmIndexBits(n: number, m: number): number {
  let c = 1;
  for (let i = 1; i <= n; i++) c = (c * (m - n + i)) / i;
  return Math.ceil(Math.log2(Math.round(c)));
}

/**
 * Checks a budget for consistency with the layers it applies to; `field` is
 * where it lives (`params.budget` or `observation.budget`).
 */
export function checkBudget(budget: WeightCompressionBudget, dIns: readonly number[], field: string): Problem {
  const hasN = budget.n !== undefined, hasM = budget.m !== undefined;
  if (budget.pattern === 'n:m') {
    if (!hasN || !hasM) return { field: `${field}.${hasN ? 'm' : 'n'}`, message: `${field}.pattern "n:m" needs both ${field}.n and ${field}.m` };
    if (budget.n! > budget.m!) return { field: `${field}.n`, message: `${field}.n = ${budget.n} exceeds ${field}.m = ${budget.m}` };
    const bad = dIns.find((d) => d % budget.m! !== 0);
    if (bad !== undefined) return { field: `${field}.m`, message: `${field}.m = ${budget.m} must divide every row length (d_in = ${bad})` };
  } else if (hasN || hasM) {
    return { field: `${field}.pattern`, message: `${field}.${hasN ? 'n' : 'm'} is given without ${field}.pattern = "n:m"` };
  }
  if (budget.groupSize !== undefined && budget.bits === undefined) {
    return { field: `${field}.bits`, message: `${field}.groupSize is given without ${field}.bits` };
  }
  if (budget.sparsity === undefined && budget.pattern === undefined && budget.bits === undefined) {
    return { field, message: `${field} sets no constraint; give sparsity, pattern "n:m" (with n, m) or bits (with groupSize)` };
  }
  return undefined;
}

/** Rows of a layer under the budget: the kv-cache variant exempts the newest `denseWindow` rows, the other variants none. */
export function budgetRows(obs: WeightCompressionObservation, W: Matrix): number {
  return Math.max(0, W.rows - (obs.denseWindow ?? 0));
}

/** Kept parameters and budgeted size of one layer (factored: nnz of both factors over the full size). */
export function layerCount(obs: WeightCompressionObservation, sol: WeightCompressionSolutionLayer): { kept: number; size: number } {
  if (sol.factors) return { kept: nnz(sol.factors.left.data) + nnz(sol.factors.right.data), size: sol.W.rows * sol.W.cols };
  const rows = budgetRows(obs, sol.W);
  return { kept: nnz(sol.W.data.subarray(0, rows * sol.W.cols)), size: rows * sol.W.cols };
}

function frob(a: Float64Array): number {
  let s = 0;
  for (const v of a) s += v * v;
  return Math.sqrt(s);
}

/** The most nonzeros a sparsity s allows in `size` weights: ⌈(1 − s)·size⌉, with a guard against rounding up an exact product. */
export function allowedKept(sparsity: number, size: number): number {
  return Math.ceil((1 - sparsity) * size - 1e-9);
}

/** Problem with the values of one group count (more than 2^bits distinct values), or undefined. */
function checkGroups(W: Matrix, rows: number, groupSize: number, bits: number, field: string): Problem {
  const limit = Math.pow(2, bits);
  const buf = new Float64Array(groupSize);
  for (let i = 0; i < rows; i++) {
    for (let c0 = 0; c0 < W.cols; c0 += groupSize) {
      const c1 = Math.min(W.cols, c0 + groupSize);
      const g = buf.subarray(0, c1 - c0);
      g.set(W.data.subarray(i * W.cols + c0, i * W.cols + c1));
      g.sort();
      let distinct = g.length > 0 ? 1 : 0;
      for (let j = 1; j < g.length; j++) if (g[j] !== g[j - 1]) distinct++;
      if (distinct > limit) {
        return { field, message: `${field} row ${i}, columns ${c0}..${c1 - 1} hold ${distinct} distinct values; ${bits} bits allow ${limit}` };
      }
    }
  }
  return undefined;
}

/**
 * Every hard check of a compressed solution: shapes, frozen layers unchanged,
 * factorizations consistent, declared bits honest, and the budget (pattern,
 * bits, sparsity; per layer or global). Returns the first problem, naming
 * the solution field and the budget field it violates.
 */
export function checkCompression(obs: WeightCompressionObservation, sol: WeightCompressionSolution): Problem {
  if (sol.layers.length !== obs.layers.length) {
    return { field: 'solution.layers', message: `solution.layers has ${sol.layers.length} entries, the observation has ${obs.layers.length} layers` };
  }
  const b = obs.budget;
  const global = b.scope === 'global';
  let keptSum = 0, sizeSum = 0, bitSum = 0, weightSum = 0;
  for (let l = 0; l < obs.layers.length; l++) {
    const W0 = obs.layers[l].W, s = sol.layers[l], W = s.W;
    const f = `solution.layers[${l}]`;
    if (W.rows !== W0.rows || W.cols !== W0.cols) return { field: `${f}.W`, message: `${f}.W is ${W.rows}x${W.cols}, the layer is ${W0.rows}x${W0.cols}` };
    if (obs.layers[l].frozen) {
      if (W.data.some((v, i) => v !== W0.data[i])) return { field: `${f}.W`, message: `${f}.W differs from observation.layers[${l}].W, which is frozen (not under the budget): return it unchanged` };
      continue;
    }
    if (s.factors) {
      const { left, right } = s.factors;
      if (left.rows !== W.rows || right.cols !== W.cols || left.cols !== right.rows) {
        return { field: `${f}.factors`, message: `${f}.factors are ${left.rows}x${left.cols} · ${right.rows}x${right.cols}; the layer is ${W.rows}x${W.cols}` };
      }
      const P = matmul(left, right);
      const d = new Float64Array(W.data.length);
      for (let i = 0; i < d.length; i++) d[i] = W.data[i] - P.data[i];
      if (frob(d) > 1e-9 * frob(W.data) + 1e-12) return { field: `${f}.factors`, message: `${f}.W differs from factors.left · factors.right by ${frob(d).toExponential(2)} (Frobenius)` };
    }
    const rows = budgetRows(obs, W);
    if (s.bits !== undefined || b.bits !== undefined) {
      if (s.bits === undefined) return { field: `${f}.bits`, message: `${f}.bits is required: observation.budget.bits = ${b.bits} limits the values per group` };
      if (!global && b.bits !== undefined && s.bits > b.bits) {
        return { field: `${f}.bits`, message: `${f}.bits = ${s.bits} exceeds observation.budget.bits = ${b.bits}` };
      }
      const p = checkGroups(W, rows, b.groupSize ?? W.cols, s.bits, `${f}.W`);
      if (p) return p;
      bitSum += s.bits * W.rows * W.cols;
      weightSum += W.rows * W.cols;
    }
    if (b.pattern === 'n:m') {
      const n = b.n!, m = b.m!;
      for (let i = 0; i < rows; i++)
        for (let c0 = 0; c0 < W.cols; c0 += m) {
          const cnt = nnz(W.data.subarray(i * W.cols + c0, i * W.cols + Math.min(W.cols, c0 + m)));
          if (cnt > n) {
            return { field: `${f}.W`, message: `${f}.W row ${i}, columns ${c0}..${c0 + m - 1} have ${cnt} nonzeros; observation.budget n:m = ${n}:${m} allows ${n}` };
          }
        }
    }
    const { kept, size } = layerCount(obs, s);
    keptSum += kept;
    sizeSum += size;
    if (b.sparsity !== undefined && !global && kept > allowedKept(b.sparsity, size)) {
      return {
        field: s.factors ? `${f}.factors` : `${f}.W`,
        message: `${f} keeps ${kept} of ${size} weights (sparsity ${(1 - kept / size).toFixed(4)}); observation.budget.sparsity = ${b.sparsity} allows at most ${allowedKept(b.sparsity, size)}`,
      };
    }
  }
  if (global && b.sparsity !== undefined && keptSum > allowedKept(b.sparsity, sizeSum)) {
    return { field: 'solution.layers', message: `solution.layers keep ${keptSum} of ${sizeSum} weights in all; observation.budget.sparsity = ${b.sparsity} (global) allows at most ${allowedKept(b.sparsity, sizeSum)}` };
  }
  if (global && b.bits !== undefined && weightSum > 0 && bitSum / weightSum > b.bits + 1e-12) {
    return { field: 'solution.layers', message: `solution.layers average ${(bitSum / weightSum).toFixed(4)} bits per weight; observation.budget.bits = ${b.bits} (global)` };
  }
  return undefined;
}

/**
 * Storage cost in bits per weight over the layers under the budget: kept
 * values at their declared bits (16 when undeclared), 32 bits of scale and
 * zero point per quantization group, and the sparsity index (⌈log₂ C(m,n)⌉
 * bits per n:m group, else a 1-bit mask per weight of a sparse matrix or
 * factor). A dense 16-bit layer costs 16.
 */
export function bitsPerWeight(obs: WeightCompressionObservation, sol: WeightCompressionSolution): number {
  let bits = 0, size = 0;
  const b = obs.budget;
  for (let l = 0; l < obs.layers.length; l++) {
    if (obs.layers[l].frozen) continue;
    const s = sol.layers[l], W = s.W;
    const total = W.rows * W.cols;
    size += total;
    const value = s.bits ?? 16;
    if (s.bits !== undefined) bits += 32 * W.rows * Math.ceil(W.cols / (b.groupSize ?? W.cols));
    const parts = s.factors ? [s.factors.left.data, s.factors.right.data] : [W.data];
    for (const p of parts) {
      const k = nnz(p);
      bits += k * value;
      if (k < p.length) bits += b.pattern === 'n:m' && !s.factors ? (p.length / b.m!) * nmIndexBits(b.n!, b.m!) : p.length;
    }
  }
  return size > 0 ? bits / size : 0;
}
