/**
 * Helpers for the interactive families' tests: what a solver can reach from
 * the objects it is given.
 */

/**
 * Every typed array and every key reachable from `root` through own
 * properties (enumerable or not, string or symbol keys, getters read) and
 * prototype chains, up to `maxDepth`. Closures are not reachable this way,
 * and that is the point: the session lives in one.
 */
export function reachable(root: unknown, maxDepth = 8): { arrays: ArrayBufferView[]; keys: string[] } {
  const seen = new Set<unknown>();
  const arrays: ArrayBufferView[] = [];
  const keys: string[] = [];
  const visit = (v: unknown, depth: number): void => {
    if ((typeof v !== 'object' && typeof v !== 'function') || v === null || seen.has(v) || depth > maxDepth) return;
    seen.add(v);
    if (ArrayBuffer.isView(v)) {
      arrays.push(v);
      return;
    }
    // Built-in prototypes hold no instance data; stop there.
    if (v === Object.prototype || v === Function.prototype || v === Array.prototype || v === AsyncGeneratorFunctionPrototype) return;
    for (const key of Reflect.ownKeys(v)) {
      keys.push(String(key));
      let child: unknown;
      try {
        child = (v as Record<PropertyKey, unknown>)[key];
      } catch {
        continue;
      }
      visit(child, depth + 1);
    }
    visit(Object.getPrototypeOf(v), depth + 1);
  };
  visit(root, 0);
  return { arrays, keys };
}

// The prototype shared by all async generator functions (an empty generator gives it).
const AsyncGeneratorFunctionPrototype: unknown = Object.getPrototypeOf(async function* () {
  yield* [];
});

/** True when some reachable array has the same contents as `secret` (or is it). */
export function holds(root: unknown, secret: ArrayLike<number>): boolean {
  return reachable(root).arrays.some((a) => {
    if (a === (secret as unknown)) return true;
    const view = a as unknown as ArrayLike<number>;
    if (view.length !== secret.length || secret.length === 0) return false;
    for (let i = 0; i < secret.length; i++) if (view[i] !== secret[i]) return false;
    return true;
  });
}
