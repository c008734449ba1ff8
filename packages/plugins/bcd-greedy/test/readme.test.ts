import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import * as core from '@parsimony/core';
import * as plugin from '../src/index.js';

/**
 * Runs the README's Usage block as written: its imports are bound to the
 * modules, TypeScript's non-null assertions are dropped, and every
 * `console.log(...); // => ...` line must print what it says.
 */
test("the README's usage example runs and its // => lines are true", () => {
  const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
  const block = /## Usage\s+```ts\n([\s\S]*?)```/.exec(readme)![1];
  const modules: Record<string, unknown> = { '@parsimony/core': core, '@parsimony/plugin-bcd-greedy': plugin };
  const expected: string[] = [];
  const code = block
    .replace(/import \{([^}]+)\} from '([^']+)';/g, (_, names: string, mod: string) => {
      if (!(mod in modules)) throw new Error(`the README imports ${mod}`);
      return `const {${names}} = __modules['${mod}'];`;
    })
    .replace(/([\w)\]])!(?=[.,)\s;])/g, '$1')
    .replace(/console\.log\((.*)\); \/\/ => (.*)$/gm, (_, args: string, want: string) => {
      expected.push(want.trim());
      return `__out.push([${args}].map(String).join(' '));`;
    });
  const out: string[] = [];
  new Function('__modules', '__out', code)(modules, out);
  expect(expected.length).toBeGreaterThan(0);
  expect(out).toEqual(expected);
}, 60_000);
