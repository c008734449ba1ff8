/**
 * The observed set Ω grouped by row or by column, so each half-step of
 * alternating minimization visits its small regressions one after another.
 *
 * Internal module: not exported from the package.
 */

/** Entries of Ω grouped by a key (their row or their column), CSR-style. */
export interface EntryGroups {
  /** groups + 1 offsets into `ids`: group g is ids[ptr[g] .. ptr[g + 1]). */
  readonly ptr: Int32Array;
  /** Entry indices (into omega and values), grouped by key, in input order within a group. */
  readonly ids: Int32Array;
  /** The size of the largest group. */
  readonly maxSize: number;
}

/**
 * Groups the entries `subset` (all of them when absent) by `key[entry]`, a
 * value in [0, groups), with one counting sort (O(|Ω| + groups)).
 *
 * @param key - the row (or column) index of every entry
 * @param groups - number of distinct keys (m or n)
 * @param subset - entry indices to group (default 0 .. key.length - 1)
 * @returns offsets, grouped entry indices, and the largest group size
 * @example
 * groupEntries(new Int32Array([1, 0, 1]), 2).ids; // => [1, 0, 2]
 */
export function groupEntries(key: Int32Array, groups: number, subset?: Int32Array): EntryGroups {
  const count = subset?.length ?? key.length;
  const at = (t: number) => (subset ? subset[t] : t);
  const ptr = new Int32Array(groups + 1);
  for (let t = 0; t < count; t++) ptr[key[at(t)] + 1]++;
  let maxSize = 0;
  for (let g = 0; g < groups; g++) {
    maxSize = Math.max(maxSize, ptr[g + 1]);
    ptr[g + 1] += ptr[g];
  }
  const next = ptr.slice(0, groups);
  const ids = new Int32Array(count);
  for (let t = 0; t < count; t++) {
    const e = at(t);
    ids[next[key[e]]++] = e;
  }
  return { ptr, ids, maxSize };
}

/**
 * The row and column groupings of one subset of Ω: the V-step solves one
 * regression per column, the U-step one per row.
 */
export interface OmegaPartition {
  readonly byCol: EntryGroups;
  readonly byRow: EntryGroups;
}

/**
 * Splits Ω uniformly at random into `parts` disjoint subsets (each entry gets
 * a label from `draw(parts)`), for the sample-splitting variant of AM.
 *
 * @param size - |Ω|
 * @param parts - number of subsets (2T + 1 for T iterations)
 * @param draw - uniform integer in [0, parts), e.g. `(n) => rng.int(n)`
 * @returns the entry indices of each subset
 * @example
 * splitEntries(10, 3, (n) => rng.int(n)).length; // => 3
 */
export function splitEntries(size: number, parts: number, draw: (n: number) => number): Int32Array[] {
  const label = new Int32Array(size);
  for (let t = 0; t < size; t++) label[t] = draw(parts);
  const { ptr, ids } = groupEntries(label, parts);
  return Array.from({ length: parts }, (_, p) => ids.subarray(ptr[p], ptr[p + 1]));
}
