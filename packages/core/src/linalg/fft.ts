/**
 * Complex FFT for the DCT: iterative radix-2 for powers of two, Bluestein's
 * chirp-z for other lengths (so every length costs O(N log N)). Plans
 * (twiddles, chirps) are cached per length.
 *
 * `fft` is public (plugins with spectral methods use it); the DCT builds on it.
 */

interface Plan {
  readonly n: number;
  /** Radix-2: cos/sin of -2πk/n for k < n/2. */
  readonly cos?: Float64Array;
  readonly sin?: Float64Array;
  readonly rev?: Int32Array;
  /** Bluestein: padded length, chirp and the transformed conjugate chirp. */
  readonly m?: number;
  readonly wr?: Float64Array;
  readonly wi?: Float64Array;
  readonly br?: Float64Array;
  readonly bi?: Float64Array;
}

const plans = new Map<number, Plan>();

function radix2Plan(n: number): Plan {
  const cos = new Float64Array(n >> 1), sin = new Float64Array(n >> 1);
  for (let k = 0; k < n >> 1; k++) {
    cos[k] = Math.cos((2 * Math.PI * k) / n);
    sin[k] = -Math.sin((2 * Math.PI * k) / n);
  }
  const rev = new Int32Array(n);
  const bits = Math.round(Math.log2(n));
  for (let i = 0; i < n; i++) {
    let r = 0;
    for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
    rev[i] = r;
  }
  return { n, cos, sin, rev };
}

function radix2(p: Plan, re: Float64Array, im: Float64Array, inverse: boolean): void {
  const { n } = p;
  const rev = p.rev as Int32Array, cos = p.cos as Float64Array, sin = p.sin as Float64Array;
  for (let i = 0; i < n; i++) {
    const j = rev[i];
    if (j > i) {
      let t = re[i];
      re[i] = re[j];
      re[j] = t;
      t = im[i];
      im[i] = im[j];
      im[j] = t;
    }
  }
  const sgn = inverse ? -1 : 1;
  for (let size = 2; size <= n; size <<= 1) {
    const half = size >> 1, step = n / size;
    for (let i = 0; i < n; i += size) {
      for (let k = 0; k < half; k++) {
        const wr = cos[k * step], wi = sgn * sin[k * step];
        const a = i + k, b = a + half;
        const xr = re[b] * wr - im[b] * wi;
        const xi = re[b] * wi + im[b] * wr;
        re[b] = re[a] - xr;
        im[b] = im[a] - xi;
        re[a] += xr;
        im[a] += xi;
      }
    }
  }
}

function planFor(n: number): Plan {
  let p = plans.get(n);
  if (p) return p;
  if ((n & (n - 1)) === 0) p = radix2Plan(n);
  else {
    let m = 1;
    while (m < 2 * n - 1) m <<= 1;
    // Chirp w_k = exp(-iπk²/n); k² mod 2n keeps the angle exact for large k.
    const wr = new Float64Array(n), wi = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const ang = (Math.PI * ((k * k) % (2 * n))) / n;
      wr[k] = Math.cos(ang);
      wi[k] = -Math.sin(ang);
    }
    const br = new Float64Array(m), bi = new Float64Array(m);
    for (let k = 0; k < n; k++) {
      br[k] = wr[k];
      bi[k] = -wi[k];
      if (k > 0) {
        br[m - k] = wr[k];
        bi[m - k] = -wi[k];
      }
    }
    radix2(planFor(m), br, bi, false);
    p = { n, m, wr, wi, br, bi };
  }
  plans.set(n, p);
  return p;
}

/**
 * In-place DFT X_k = Σ x_j exp(∓2πi jk/n) (minus sign forward) of any length
 * n: radix-2 for powers of two, Bluestein's chirp-z otherwise; the inverse
 * is unnormalized (divide by n yourself).
 *
 * @param re - real parts, overwritten with the transform's
 * @param im - imaginary parts (same length), overwritten
 * @param inverse - the inverse transform (plus sign), unnormalized
 * @example
 * const re = Float64Array.of(1, 0, 0, 0), im = new Float64Array(4);
 * fft(re, im); // re => [1, 1, 1, 1]
 */
export function fft(re: Float64Array, im: Float64Array, inverse = false): void {
  const n = re.length;
  if (n <= 1) return;
  const p = planFor(n);
  if (p.cos) {
    radix2(p, re, im, inverse);
    return;
  }
  // Bluestein: X_k = w_k Σ_j (x_j w_j) conj(w_{k-j}), a convolution done by FFT.
  const m = p.m as number, wr = p.wr as Float64Array, wi = p.wi as Float64Array;
  const ar = new Float64Array(m), ai = new Float64Array(m);
  // The inverse transform is the forward one on conjugated data.
  const s = inverse ? -1 : 1;
  for (let j = 0; j < n; j++) {
    const xr = re[j], xi = s * im[j];
    ar[j] = xr * wr[j] - xi * wi[j];
    ai[j] = xr * wi[j] + xi * wr[j];
  }
  const pm = planFor(m);
  radix2(pm, ar, ai, false);
  const br = p.br as Float64Array, bi = p.bi as Float64Array;
  for (let k = 0; k < m; k++) {
    const xr = ar[k] * br[k] - ai[k] * bi[k];
    ai[k] = ar[k] * bi[k] + ai[k] * br[k];
    ar[k] = xr;
  }
  radix2(pm, ar, ai, true);
  for (let k = 0; k < n; k++) {
    const xr = ar[k] / m, xi = ai[k] / m;
    re[k] = xr * wr[k] - xi * wi[k];
    im[k] = s * (xr * wi[k] + xi * wr[k]);
  }
}
