/** The bench task `dictionary-learning/beyond-l1-coding` (quick size): D given, n = 36, K = 72, N = 500, k = 3, spread amplitudes, 30 dB. */
export const CODING_TASK = { variant: 'coding-only', n: 36, K: 72, N: 500, k: 3, amplitudes: 'spread', snrDb: 30 } as const;

/** The bench task `dictionary-learning/beyond-l1` (quick size): learn D, n = 36, K = 72, N = 600, k = 3, spread amplitudes, 30 dB. */
export const LEARNING_TASK = { n: 36, K: 72, N: 600, k: 3, amplitudes: 'spread', snrDb: 30 } as const;

/** Median of a list. */
export function median(v: readonly number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}
