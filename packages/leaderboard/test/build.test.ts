import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';
import { SITE_MARKER, TEMPLATES_DIR, buildSite, findRunDirs, main, type BuildResult } from '../src/index.js';

const PKG = fileURLToPath(new URL('..', import.meta.url));
const FIXTURES = join(PKG, 'test', 'fixtures');
const WORK = join(PKG, 'test-output', 'build-test');
const RUNS = [join(FIXTURES, 'run-a'), join(FIXTURES, 'run-b')];

let site: BuildResult;
let html: Map<string, string>;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name).slice(dir.length + 1))
    .sort();
}

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['node', 'parsimony-leaderboard', ...args], { out: (s) => void (out += s), err: (s) => void (err += s) });
  return { code, out, err };
}

beforeAll(async () => {
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  site = await buildSite({ results: RUNS, out: join(WORK, 'site') });
  html = new Map(site.pages.map((p) => [p, readFileSync(join(WORK, 'site', p), 'utf8')]));
});

describe('buildSite', () => {
  test('writes a home page, a scale page and one page per family, task, plugin and solver', () => {
    expect(site.indexPath).toBe(join(WORK, 'site', 'index.html'));
    const kinds = (dir: string) => site.pages.filter((p) => p.startsWith(`${dir}/`)).length;
    expect(site.pages).toContain('index.html');
    expect(site.pages).toContain('scale.html');
    expect(kinds('families')).toBe(4);
    expect(kinds('tasks')).toBe(7);
    expect(kinds('plugins')).toBe(4);
    expect(kinds('solvers')).toBe(9);
    for (const f of ['site.css', 'site.js', SITE_MARKER, ...site.plots]) expect(existsSync(join(WORK, 'site', f)), f).toBe(true);
  });

  test('every page has the Content-Security-Policy and no inline script or style', () => {
    for (const [rel, text] of html) {
      expect(text, rel).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'">`);
      expect(text.match(/<script\b[^>]*>/g), rel).toEqual([`<script src="${rel.includes('/') ? '../' : ''}site.js" defer>`]);
      expect(text, rel).not.toMatch(/\sstyle=|<style|\son[a-z]+=/i);
    }
  });

  test('strings from plugins, suites and results are escaped, never markup', () => {
    const all = [...html.values()].join('\n');
    expect(all).not.toContain('<script>alert');
    expect(all).not.toContain('<img src=x');
    expect(all).not.toContain('<svg onload');
    expect(all).not.toContain('<b>bold');
    expect(html.get('plugins/evil-paper.html')).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html.get('index.html')).toContain('&lt;img src&#x3D;x onerror&#x3D;alert(3)&gt;Matrix completion');
    // A claim that looks like a template is printed, not evaluated.
    expect(html.get('plugins/evil-paper.html')).toContain('Fast beats OMP by 1 dB {{constructor}} {{#each this}}x{{/each}}');
    expect(html.get('plugins/evil-paper.html')).toContain('href="https://example.org/paper?a&#x3D;1&amp;b&#x3D;2" rel="noopener noreferrer"');
  });

  test('no page loads anything from outside the site; only paper links point elsewhere', () => {
    for (const [rel, text] of html) {
      const refs = [...text.matchAll(/\b(src|href)="([^"]*)"/g)].map((m) => [m[1], m[2]]);
      for (const [attr, url] of refs) {
        if (/^[a-z]+:/i.test(url) || url.startsWith('//')) {
          expect(attr, `${rel}: ${url}`).toBe('href');
          expect(url, rel).toMatch(/^https:\/\/(example\.org|arxiv\.org)\//);
        }
      }
    }
  });

  test('the templates never use triple-stash (unescaped) output', () => {
    for (const f of readdirSync(TEMPLATES_DIR).filter((f) => f.endsWith('.hbs'))) {
      expect(readFileSync(join(TEMPLATES_DIR, f), 'utf8'), f).not.toContain('{{{');
    }
  });

  test('plots are static SVG: no script, no foreign object, no external reference', () => {
    expect(site.plots.length).toBeGreaterThanOrEqual(8);
    for (const p of site.plots) {
      const svg = readFileSync(join(WORK, 'site', p), 'utf8');
      expect(svg.startsWith('<svg'), p).toBe(true);
      expect(svg, p).not.toMatch(/<script|<foreignObject|\bhref=|url\(\s*['"]?http/i);
    }
    const pareto = readFileSync(join(WORK, 'site', site.plots.find((p) => p.includes('pareto-sparse-recovery--quick'))!), 'utf8');
    expect(pareto).toContain('turbo/turbo');
  });

  test('the same inputs give the same site, byte for byte', async () => {
    const again = await buildSite({ results: RUNS, out: join(WORK, 'again') });
    expect(again.pages).toEqual(site.pages);
    for (const f of filesUnder(join(WORK, 'site'))) {
      expect(readFileSync(join(WORK, 'again', f), 'utf8'), f).toBe(readFileSync(join(WORK, 'site', f), 'utf8'));
    }
  });

  test('a folder of runs stands for the runs in it', () => {
    expect(findRunDirs(FIXTURES)).toEqual(RUNS);
    expect(findRunDirs(RUNS[0])).toEqual([RUNS[0]]);
  });

  test('rebuilding in place removes pages that no longer exist', async () => {
    const out = join(WORK, 'rebuild');
    cpSync(join(WORK, 'site'), out, { recursive: true });
    expect(existsSync(join(out, 'plugins', 'mystery.html'))).toBe(true);
    const r = await buildSite({ results: [RUNS[0]], out });
    expect(existsSync(join(out, 'plugins', 'mystery.html'))).toBe(false);
    expect(filesUnder(out).filter((f) => f.endsWith('.html'))).toEqual(r.pages);
  });
});

describe('parsimony-leaderboard build (CLI)', () => {
  test('builds a site, says where it is, and prints warnings about the inputs on stderr', async () => {
    const r = await cli('build', '--results', RUNS[0], RUNS[1], '--out', join(WORK, 'cli'));
    expect(r.code).toBe(0);
    expect(r.out).toBe(`wrote ${site.pages.length} pages and ${site.plots.length} plots; open ${join(WORK, 'cli', 'index.html')}\n`);
    expect(r.err.split('\n')).toEqual([
      'parsimony-leaderboard: warning: run 2025-06-01-quick-a1b2c3: skipped 1 line of results.jsonl (line 26: not valid JSON (torn line?))',
      'parsimony-leaderboard: warning: family mystery-family has results but no run manifest describes its metrics; its tasks are shown unranked',
      '',
    ]);
  });

  test('a missing results directory is one clear line and exit code 2', async () => {
    const r = await cli('build', '--results', join(WORK, 'nope'), '--out', join(WORK, 'x'));
    expect(r.code).toBe(2);
    expect(r.err).toBe(`parsimony-leaderboard: results directory ${join(WORK, 'nope')} does not exist\n`);
    expect(existsSync(join(WORK, 'x'))).toBe(false);
  });

  test('a directory without manifest.json, a file, and an invalid manifest are one line and exit code 2', async () => {
    const empty = join(WORK, 'empty');
    mkdirSync(empty, { recursive: true });
    const file = join(WORK, 'file.txt');
    writeFileSync(file, 'x');
    const bad = join(WORK, 'bad-run');
    cpSync(RUNS[0], bad, { recursive: true });
    const m = JSON.parse(readFileSync(join(bad, 'manifest.json'), 'utf8'));
    delete m.run_id;
    writeFileSync(join(bad, 'manifest.json'), JSON.stringify(m));
    const torn = join(WORK, 'torn-run');
    cpSync(RUNS[0], torn, { recursive: true });
    writeFileSync(join(torn, 'manifest.json'), '{"run_id": ');

    for (const [dir, pattern] of [
      [empty, /is not a result directory: no manifest.json in it or in its subfolders/],
      [file, /is a file; expected a result directory/],
      [bad, /manifest.json: .*run_id/],
      [torn, /manifest.json: not valid JSON/],
    ] as const) {
      const r = await cli('build', '--results', dir, '--out', join(WORK, 'x'));
      expect(r.code, dir).toBe(2);
      expect(r.err, dir).toMatch(pattern);
      expect(r.err.trim().split('\n'), dir).toHaveLength(1);
    }
  });

  test('refuses to write into a non-empty folder that is not a site', async () => {
    const out = join(WORK, 'precious');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'thesis.tex'), 'keep me');
    const r = await cli('build', '--results', RUNS[0], '--out', out);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/is not empty and holds no leaderboard site/);
    expect(readdirSync(out)).toEqual(['thesis.tex']);
  });

  test('bad usage is one line and exit code 2; --help is exit code 0', async () => {
    for (const args of [[], ['serve'], ['build', '--out', 'x'], ['build', '--results', 'x'], ['build', '--bogus']]) {
      const r = await cli(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
    const help = await cli('--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('Usage: parsimony-leaderboard build --results DIR');
  });
});
