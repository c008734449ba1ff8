import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import * as core from '@parsimony/core';
import * as self from '../src/index.js';
import { RobustAltminParams } from '../src/index.js';

const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<void>;

/** The ```ts block under "## Usage". */
function usage(): string {
  const from = readme.indexOf('## Usage');
  const start = readme.indexOf('```ts\n', from) + 6;
  return readme.slice(start, readme.indexOf('```', start));
}

describe('README.md', () => {
  test('the usage example runs as written and prints what its // => comments say', async () => {
    const modules: Record<string, unknown> = { '@parsimony/core': core, '@parsimony/plugin-robust-altmin': self };
    const code = usage();
    const expected = [...code.matchAll(/console\.log\(.*\); \/\/ => (.*)$/gm)].map((m) => m[1]);
    expect(expected.length).toBeGreaterThan(0);
    // Imports become destructurings of the modules this test imported.
    const body = code.replace(/^import \{([^}]*)\} from '([^']+)';$/gm, (_, names: string, from: string) => {
      expect(Object.keys(modules), `the example imports ${from}`).toContain(from);
      return `const {${names.replace(/\btype \w+,?/g, '')}} = modules['${from}'];`;
    });
    const printed: string[] = [];
    const console = { log: (...xs: unknown[]) => printed.push(xs.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(' ')) };
    await new AsyncFunction('modules', 'console', body)(modules, console);
    expect(printed).toEqual(expected);
  });

  test('the options table lists exactly the params schema', () => {
    const from = readme.indexOf('| option |', readme.indexOf('## Options'));
    const table = readme.slice(from, readme.indexOf('\n\n', from));
    const names = [...table.matchAll(/^\| `(\w+)` \|/gm)].map((m) => m[1]);
    expect(names.sort()).toEqual(Object.keys(RobustAltminParams.properties).sort());
  });
});
