/**
 * A first-order optimizer over a list of parameter arrays (see `paramArrays`):
 * `step` updates the parameters in place from same-shaped gradients. The state
 * is allocated on the first step.
 */
export interface Optimizer {
  /** Learning rate of the next step; schedules set it between steps. */
  lr: number;
  /** One update: params -= lr · direction(grads). */
  step(params: readonly Float64Array[], grads: readonly Float64Array[]): void;
  /** Floats of optimizer state held (momentum buffers, moments), for memory accounting. */
  readonly stateFloats: number;
}

/** Options of {@link sgd}. */
export interface SgdOptions {
  readonly lr: number;
  /** Heavy-ball momentum μ (0: plain SGD). */
  readonly momentum?: number;
  /** L2 penalty λ added to the gradient (coupled weight decay). */
  readonly weightDecay?: number;
  /** Nesterov momentum. */
  readonly nesterov?: boolean;
}

function checkShapes(name: string, params: readonly Float64Array[], grads: readonly Float64Array[]): void {
  if (params.length !== grads.length) throw new RangeError(`${name}: ${params.length} parameter arrays but ${grads.length} gradients`);
  for (let i = 0; i < params.length; i++) {
    if (params[i].length !== grads[i].length) throw new RangeError(`${name}: parameter ${i} has ${params[i].length} entries, its gradient ${grads[i].length}`);
  }
}

/**
 * SGD with (optionally Nesterov) momentum: v ← μ v + (g + λ θ), θ ← θ - η v
 * (PyTorch's convention).
 *
 * @example
 * const opt = sgd({ lr: 0.05, momentum: 0.9 });
 * opt.step(paramArrays(net), paramArrays(grads));
 */
export function sgd(options: SgdOptions): Optimizer {
  const mu = options.momentum ?? 0, wd = options.weightDecay ?? 0, nesterov = options.nesterov ?? false;
  let vel: Float64Array[] | undefined;
  const opt = {
    lr: options.lr,
    get stateFloats(): number {
      return vel ? vel.reduce((s, v) => s + v.length, 0) : 0;
    },
    step(params: readonly Float64Array[], grads: readonly Float64Array[]): void {
      checkShapes('sgd', params, grads);
      if (mu !== 0 && !vel) vel = params.map((p) => new Float64Array(p.length));
      const lr = opt.lr;
      for (let i = 0; i < params.length; i++) {
        const p = params[i], g = grads[i];
        if (mu === 0) {
          for (let j = 0; j < p.length; j++) p[j] -= lr * (g[j] + wd * p[j]);
          continue;
        }
        const v = vel![i];
        for (let j = 0; j < p.length; j++) {
          const gj = g[j] + wd * p[j];
          v[j] = mu * v[j] + gj;
          p[j] -= lr * (nesterov ? gj + mu * v[j] : v[j]);
        }
      }
    },
  };
  return opt;
}

/** Options of {@link adam}. */
export interface AdamOptions {
  readonly lr: number;
  readonly beta1?: number;
  readonly beta2?: number;
  readonly eps?: number;
  /** Decoupled weight decay λ (AdamW): θ ← θ - η λ θ each step. */
  readonly weightDecay?: number;
}

/**
 * Adam (Kingma & Ba 2015, Alg. 1) with bias correction, and AdamW's
 * decoupled weight decay when `weightDecay` > 0 (Loshchilov & Hutter 2019).
 *
 * @example
 * const opt = adam({ lr: 1e-2 });
 * opt.step(paramArrays(net), paramArrays(grads));
 */
export function adam(options: AdamOptions): Optimizer {
  const b1 = options.beta1 ?? 0.9, b2 = options.beta2 ?? 0.999, eps = options.eps ?? 1e-8, wd = options.weightDecay ?? 0;
  let m: Float64Array[] | undefined, v: Float64Array[] | undefined;
  let t = 0;
  const opt = {
    lr: options.lr,
    get stateFloats(): number {
      return m && v ? 2 * m.reduce((s, a) => s + a.length, 0) : 0;
    },
    step(params: readonly Float64Array[], grads: readonly Float64Array[]): void {
      checkShapes('adam', params, grads);
      if (!m || !v) {
        m = params.map((p) => new Float64Array(p.length));
        v = params.map((p) => new Float64Array(p.length));
      }
      t++;
      const lr = opt.lr;
      const c1 = 1 / (1 - Math.pow(b1, t)), c2 = 1 / (1 - Math.pow(b2, t));
      for (let i = 0; i < params.length; i++) {
        const p = params[i], g = grads[i], mi = m[i], vi = v[i];
        for (let j = 0; j < p.length; j++) {
          const gj = g[j];
          mi[j] = b1 * mi[j] + (1 - b1) * gj;
          vi[j] = b2 * vi[j] + (1 - b2) * gj * gj;
          p[j] -= lr * ((mi[j] * c1) / (Math.sqrt(vi[j] * c2) + eps) + wd * p[j]);
        }
      }
    },
  };
  return opt;
}
