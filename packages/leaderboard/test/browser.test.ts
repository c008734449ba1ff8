import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { buildSite, type BuildResult } from '../src/index.js';

/*
 * Opens the built fixture site in headless Chromium from file://, the way a
 * reader would, and checks what the issue asks: no console error, no request
 * outside the site, expected table rows, no injected script running, links
 * that resolve, and screenshots kept as artifacts in test-output/.
 */

// The callbacks given to page.evaluate and $$eval run in Chromium. The few DOM names they use are
// declared here, untyped, rather than through lib "dom", which would retype the whole program
// (core's sources included) for this one file.
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;
declare const window: any;
/* eslint-enable @typescript-eslint/no-explicit-any */

const PKG = fileURLToPath(new URL('..', import.meta.url));
const FIXTURES = join(PKG, 'test', 'fixtures');
const OUT = join(PKG, 'test-output');
const SITE = join(OUT, 'site');
const CHROMIUM = process.env.PARSIMONY_CHROMIUM ?? '/usr/bin/chromium';
const SITE_URL = pathToFileURL(SITE).href + '/';

let built: BuildResult;
/** What the browser saw on each page, keyed by its path in the site. */
const seen = new Map<
  string,
  {
    errors: string[];
    outside: string[];
    requests: string[];
    dialogs: string[];
    csp: string;
    scripts: (string | null)[];
    brokenImages: string[];
    sortable: number;
    sortButtons: number;
    alerts: number;
    urls: string[];
  }
>();
let browser: Browser;
let context: BrowserContext;

/** Set when Chromium is missing: every test then fails with it (a failed beforeAll would only mark them skipped). */
let missingChromium: Error | undefined;

beforeEach(() => {
  if (missingChromium) throw missingChromium;
});

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    // Not a skip: CI installs Chromium, and a missing one must not pass silently.
    missingChromium = new Error(
      `Chromium not found at ${CHROMIUM}; the leaderboard browser tests need it. ` +
        'Install it with `apt-get update && apt-get install -y chromium` (CI does), or set PARSIMONY_CHROMIUM to a Chromium binary.',
    );
    return;
  }
  built = await buildSite({ results: [join(FIXTURES, 'run-a'), join(FIXTURES, 'run-b')], out: SITE });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
  context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  // Nothing leaves the machine even if a page tried: anything but the site's own files is aborted.
  await context.route(/^(?!file:)/, (route) => route.abort());
  // Any alert() an injected script might call is recorded rather than shown.
  await context.addInitScript(() => {
    const w = window as unknown as { __alerts: unknown[]; alert: (m?: unknown) => void };
    w.__alerts = [];
    w.alert = (m?: unknown) => void w.__alerts.push(m);
  });
  // Every page once, in one tab; the tests below check what was seen.
  const v = await visit(built.pages[0]);
  for (const rel of built.pages) {
    v.errors.length = 0;
    v.outside.length = 0;
    v.requests.length = 0;
    v.dialogs.length = 0;
    await v.page.goto(SITE_URL + rel, { waitUntil: 'load' });
    const state = await v.page.evaluate(() => ({
      csp: document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? '',
      scripts: [...document.scripts].map((s) => s.getAttribute('src')),
      brokenImages: [...document.images].filter((i) => !i.complete || i.naturalWidth === 0).map((i) => i.src),
      sortable: document.querySelectorAll('table.sortable').length,
      sortButtons: document.querySelectorAll('table.sortable th button').length,
      alerts: (window as unknown as { __alerts: unknown[] }).__alerts.length,
      urls: [
        ...[...document.querySelectorAll('a[href]')].map((a) => a.href),
        ...[...document.querySelectorAll('img[src]')].map((i) => i.src),
        ...[...document.querySelectorAll('link[href]')].map((l) => l.href),
        ...[...document.querySelectorAll('script[src]')].map((s) => s.src),
      ],
    }));
    seen.set(rel, { ...state, errors: [...v.errors], outside: [...v.outside], requests: [...v.requests], dialogs: [...v.dialogs] });
  }
  await v.page.close();
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

interface Visit {
  page: Page;
  errors: string[];
  outside: string[];
  /** Every request the page made, its own URL included. */
  requests: string[];
  dialogs: string[];
}

async function visit(rel: string): Promise<Visit> {
  const page = await context.newPage();
  const v: Visit = { page, errors: [], outside: [], requests: [], dialogs: [] };
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') v.errors.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => v.errors.push(`pageerror: ${e.message}`));
  page.on('request', (r) => {
    v.requests.push(r.url());
    if (!r.url().startsWith(SITE_URL)) v.outside.push(r.url());
  });
  page.on('requestfailed', (r) => v.errors.push(`request failed: ${r.url()} (${r.failure()?.errorText})`));
  page.on('dialog', (d) => {
    v.dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(SITE_URL + rel, { waitUntil: 'load' });
  return v;
}

/** Text of each cell in a column of a table, top to bottom. */
async function column(page: Page, tableId: string, col: number): Promise<string[]> {
  return page.$$eval(`table#${tableId} tbody tr`, (rows, c) => rows.map((r) => r.cells[c].textContent!.trim()), col);
}

/** First line of each cell in a column (without the small note under it). */
async function columnMain(page: Page, tableId: string, col: number): Promise<string[]> {
  return page.$$eval(
    `table#${tableId} tbody tr`,
    (rows, c) =>
      rows.map((r) => {
        const cell = r.cells[c].cloneNode(true);
        cell.querySelectorAll('small').forEach((s: { remove(): void }) => s.remove());
        return cell.textContent!.trim();
      }),
    col,
  );
}

const pageOf = (prefix: string, id: string) => built.pages.find((p) => p === `${prefix}/${id}.html`)!;

describe('the built site in headless Chromium', () => {
  test('every page loads with no console error, no request outside the site, and its plots and site.js load', () => {
    expect(built.pages.length).toBeGreaterThan(20);
    expect([...seen.keys()]).toEqual(built.pages);
    for (const [rel, state] of seen) {
      expect(state.errors, rel).toEqual([]);
      expect(state.outside, rel).toEqual([]);
      // The request log is live (file:// loads are seen), so an empty `outside` means something.
      expect(state.requests, rel).toEqual(expect.arrayContaining([SITE_URL + rel, expect.stringMatching(/site\.css$/), expect.stringMatching(/site\.js$/)]));
      expect(state.dialogs, rel).toEqual([]);
      expect(state.alerts, rel).toBe(0);
      expect(state.csp, rel).toContain("default-src 'none'");
      expect(state.csp, rel).toContain("script-src 'self'");
      expect(state.scripts, rel).toEqual([expect.stringMatching(/^(\.\.\/)?site\.js$/)]);
      expect(state.brokenImages, rel).toEqual([]);
      // site.js ran under the CSP: every sortable table got header buttons.
      if (state.sortable > 0) expect(state.sortButtons, rel).toBeGreaterThan(0);
    }
  });

  test('every link, image, stylesheet and script resolves to a file of the site (and anchors to an id)', () => {
    const external = new Set<string>();
    for (const [rel, state] of seen) {
      for (const url of state.urls) {
        if (!url.startsWith('file:')) {
          external.add(url);
          continue;
        }
        const u = new URL(url);
        expect(url.startsWith(SITE_URL), `${rel} links outside the site: ${url}`).toBe(true);
        const path = fileURLToPath(u);
        expect(existsSync(path), `${rel} links to a missing file: ${url}`).toBe(true);
        if (u.hash) expect(readFileSync(path, 'utf8'), `${rel}: no element ${u.hash} in ${path}`).toContain(`id="${decodeURIComponent(u.hash.slice(1))}"`);
      }
    }
    // The only external URLs are the papers' links, as plain <a href>.
    expect([...external].sort()).toEqual(['https://arxiv.org/abs/2501.00001', 'https://example.org/paper?a=1&b=2']);
    // Every page is reachable from the others.
    const linked = new Set([...seen.values()].flatMap((s) => s.urls).filter((u) => u.startsWith(SITE_URL)).map((u) => u.slice(SITE_URL.length).split('#')[0]));
    for (const rel of built.pages) expect(linked.has(rel), `nothing links to ${rel}`).toBe(true);
  });

  test('tables have the expected rows', async () => {
    const home = await visit('index.html');
    expect(await column(home.page, 'families', 0)).toEqual(['low-rank-approximation', 'matrix-completion', 'mystery-family', 'sparse-recovery']);
    expect(await column(home.page, 'plugins', 0)).toEqual(['baselines', 'evil-paper', 'mystery', 'turbo']);
    const leaders = await home.page.$$eval('table#families tbody tr td:nth-child(4)', (cells) =>
      cells.map((c) => [[...c.querySelectorAll('li')].map((li) => li.textContent).join(' '), c.querySelector('small')?.textContent ?? c.textContent]),
    );
    expect(leaders).toEqual([
      ['baselines/rsvd baselines/tsvd', 'best on 1 of 1 task'],
      ['', '—'],
      ['', '—'],
      ['baselines/omp', 'best on 3 of 4 tasks'],
    ]);
    expect(await column(home.page, 'runs', 0)).toEqual(['2025-06-01-quick-a1b2c3', '2025-06-02-quick-d4e5f6']);
    expect(await home.page.locator('#warnings li').count()).toBe(2);
    await home.page.close();

    const quick = await visit(pageOf('tasks', 'sparse-recovery--quick'));
    expect(await columnMain(quick.page, 'ranking', 0)).toEqual(['1', '2', '3', '3', '5']);
    expect(await column(quick.page, 'ranking', 1)).toEqual(['turbo/turbo', 'baselines/omp', 'baselines/iht', 'evil-paper/fast', 'baselines/ista']);
    expect(await column(quick.page, 'ranking', 3)).toEqual(['-33 dB', '-30.1 dB', '-25 dB', '-25 dB', '-20.5 dB']);
    expect(await column(quick.page, 'ranking', 5)).toEqual(['3 / 3', '3 / 3', '2 / 3', '2 / 3', '2 / 3']);
    expect(await column(quick.page, 'failures', 2)).toEqual(['timeout', 'error', 'invalid']);
    expect(await column(quick.page, 'metrics', 0)).toHaveLength(5);
    expect(await quick.page.locator('#convergence img').count()).toBe(2);
    expect(await column(quick.page, 'claims', 5)).toEqual(['not reproduced', 'reproduced', 'reproduced', 'reproduced']);
    await quick.page.close();

    const failed = await visit(pageOf('tasks', 'low-rank-approximation--quick'));
    expect(await columnMain(failed.page, 'ranking', 0)).toEqual(['—', '—']);
    expect(await failed.page.locator('#all-failed').count()).toBe(1);
    expect(await column(failed.page, 'failures', 3)).toEqual([
      'exceeded the 2000 ms budget',
      'exceeded the 2000 ms budget',
      'SVD did not converge after 300 sweeps',
      'SVD did not converge after 300 sweeps',
    ]);
    await failed.page.close();

    const wide = await visit(pageOf('tasks', 'low-rank-approximation--wide'));
    expect(await columnMain(wide.page, 'ranking', 0)).toEqual(['1', '1', '—']);
    expect(await wide.page.locator('table#ranking tbody tr:nth-child(3) td:nth-child(2) small').textContent()).toBe('no ey_ratio in its results');
    await wide.page.close();

    const evil = await visit(pageOf('plugins', 'evil-paper'));
    expect(await column(evil.page, 'claims', 4)).toEqual(['not reproduced', 'reproduced', 'not run']);
    // The measured numbers stand next to the claimed ones.
    expect(await columnMain(evil.page, 'claims', 3)).toEqual([
      'evil-paper/fast: -25 dB; baselines/omp: -30.1 dB; needed ≤ -31.1 dB',
      'evil-paper/fast: -25 dB; needed ≤ -20 dB',
      '—',
    ]);
    await evil.page.close();

    const family = await visit(pageOf('families', 'sparse-recovery'));
    expect(await column(family.page, 'tasks', 0)).toEqual(['sparse-recovery/quick', 'sparse-recovery/scale-1024', 'sparse-recovery/scale-256', 'sparse-recovery/scale-512']);
    expect(await column(family.page, 'tasks', 1)).toEqual(['turbo/turbo', 'baselines/omp', 'baselines/omp', 'baselines/omp']);
    expect(await family.page.locator('#profile-section img').count()).toBe(1);
    await family.page.close();

    const scale = await visit('scale.html');
    // time = 41 ms * (n/256) for ISTA and 13 ms * (n/256)^2 for OMP in the fixtures; the others ran at one size.
    expect(await column(scale.page, 'scale-1', 0)).toEqual(['baselines/iht', 'baselines/ista', 'baselines/omp', 'evil-paper/fast', 'turbo/turbo']);
    expect(await column(scale.page, 'scale-1', 2)).toEqual(['—', '1', '2', '—', '—']);
    await scale.page.close();
  });

  test('the injected script never runs; hostile strings show as text', async () => {
    const evil = await visit(pageOf('plugins', 'evil-paper'));
    const s = await evil.page.evaluate(() => ({
      title: document.querySelector('.paper-title')!.textContent,
      scripts: document.scripts.length,
      claim: document.querySelector('table#claims tbody tr td')!.textContent,
      alerts: (window as unknown as { __alerts: unknown[] }).__alerts.length,
    }));
    expect(s.title).toBe('<script>alert(1)</script>');
    expect(s.scripts).toBe(1);
    expect(s.claim).toContain('Fast beats OMP by 1 dB {{constructor}} {{#each this}}x{{/each}}');
    expect(s.claim).toContain('Table 2 <b>bold</b>');
    expect(s.alerts).toBe(0);
    expect(evil.dialogs).toEqual([]);
    await evil.page.close();

    const solver = await visit(pageOf('solvers', 'evil-paper--fast'));
    expect(await solver.page.locator('h1').textContent()).toBe('<script>alert(1)</script>');
    expect(await column(solver.page, 'failures', 4)).toEqual(['<script>alert(1)</script> TypeError: x is undefined']);
    await solver.page.close();

    const home = await visit('index.html');
    expect(await home.page.locator('table#families tbody tr:nth-child(2) td:nth-child(2)').textContent()).toBe('<img src=x onerror=alert(3)>Matrix completion');
    expect(await home.page.locator('main img').count()).toBe(0);
    await home.page.close();

    const mystery = built.pages.find((p) => p.startsWith('tasks/mystery-family--'))!;
    const m = await visit(mystery);
    expect(await m.page.locator('h1').textContent()).toBe('mystery-family/<svg onload=alert(4)>');
    expect(await m.page.locator('main svg').count()).toBe(0);
    expect(m.dialogs).toEqual([]);
    await m.page.close();
  });

  test('clicking a column header sorts the table (site.js runs under the CSP from file://)', async () => {
    const v = await visit(pageOf('tasks', 'sparse-recovery--quick'));
    await v.page.click('table#ranking thead th:nth-child(2) button');
    expect(await column(v.page, 'ranking', 1)).toEqual(['baselines/iht', 'baselines/ista', 'baselines/omp', 'evil-paper/fast', 'turbo/turbo']);
    await v.page.click('table#ranking thead th:nth-child(7) button');
    expect(await column(v.page, 'ranking', 1)).toEqual(['evil-paper/fast', 'baselines/omp', 'baselines/iht', 'turbo/turbo', 'baselines/ista']);
    expect(await v.page.getAttribute('table#ranking thead th:nth-child(7)', 'aria-sort')).toBe('ascending');
    await v.page.close();
  });

  test('saves screenshots of the home page and a task page as artifacts', async () => {
    const dir = join(OUT, 'screenshots');
    mkdirSync(dir, { recursive: true });
    for (const [rel, name] of [
      ['index.html', 'home.png'],
      [pageOf('tasks', 'sparse-recovery--quick'), 'task-sparse-recovery-quick.png'],
    ] as const) {
      const v = await visit(rel);
      await v.page.screenshot({ path: join(dir, name), fullPage: true });
      await v.page.close();
      expect(readFileSync(join(dir, name)).subarray(1, 4).toString()).toBe('PNG');
    }
    expect(dirname(join(dir, 'home.png'))).toBe(dir);
  });
});
