import { createHash } from 'node:crypto';

const SAFE = /^[a-z0-9][a-z0-9._-]*$/;

/**
 * A file-name-safe form of an id (task, solver, plugin, family): `/` becomes
 * `--`; anything outside `[a-z0-9._-]` (upper case included, for
 * case-insensitive file systems) is replaced and a short hash of the original
 * is appended, so a hostile id can neither escape the site folder nor collide
 * with a clean one.
 *
 * @example
 * fileSlug('sparse-recovery/quick'); // => 'sparse-recovery--quick'
 * fileSlug('../<script>');           // => '__--_script_-' + 8 hex digits of its hash
 */
export function fileSlug(id: string): string {
  const base = id.replace(/\//g, '--');
  if (SAFE.test(base) && !base.includes('..') && base.length <= 100) return base;
  const clean = base
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '_')
    .replace(/^[^a-z0-9]/, '_')
    .slice(0, 60);
  return `${clean}-${shortHash(id)}`;
}

function shortHash(s: string): string {
  return createHash('sha256').update(s).digest('hex').slice(0, 8);
}

/**
 * Hands out unique file names per folder: the same id always gets the same
 * name, and two ids that slug alike get distinct ones.
 */
export class FileNamer {
  private readonly byId = new Map<string, string>();
  private readonly used = new Set<string>();

  /** The file name (without extension) for `id`. */
  name(id: string): string {
    const known = this.byId.get(id);
    if (known !== undefined) return known;
    let name = fileSlug(id);
    if (this.used.has(name)) name = `${name}-${shortHash(`dup:${id}`)}`;
    this.used.add(name);
    this.byId.set(id, name);
    return name;
  }
}

/**
 * Only http(s) URLs become links; anything else (`javascript:`, `data:`,
 * relative paths) is dropped.
 *
 * @example
 * safeHttpUrl('javascript:alert(1)'); // => undefined
 */
export function safeHttpUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}
