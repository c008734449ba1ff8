#!/usr/bin/env node
// Writes the README's generated solver sections: for every registered solver
// without a hand-written `### \`<id>\`` section, its title, summary and an
// options table built from its params schema (name, type, default, meaning),
// between the markers below. Hand-written sections are left alone.
// `npm run readme` (after a build); test/readme.test.ts checks the result.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import plugin from '../dist/index.js';

const START = '<!-- generated solver sections: start (npm run readme) -->';
const END = '<!-- generated solver sections: end -->';
const file = join(dirname(fileURLToPath(import.meta.url)), '..', 'README.md');

/** A schema's type as the hand-written tables write it (`integer ≥ 1`, `'a' \| 'b'`, `boolean`). */
export function typeOf(schema) {
  if (schema.anyOf) return schema.anyOf.map(typeOf).join(' \\| ');
  if (schema.const !== undefined) return `\`${JSON.stringify(schema.const)}\``;
  if (schema.enum) return schema.enum.map((v) => `\`${JSON.stringify(v)}\``).join(' \\| ');
  const bounds = [];
  if (schema.minimum !== undefined) bounds.push(`≥ ${schema.minimum}`);
  if (schema.exclusiveMinimum !== undefined) bounds.push(`> ${schema.exclusiveMinimum}`);
  if (schema.maximum !== undefined) bounds.push(`≤ ${schema.maximum}`);
  if (schema.exclusiveMaximum !== undefined) bounds.push(`< ${schema.exclusiveMaximum}`);
  if (schema.type === 'array') return `array of ${schema.items ? typeOf(schema.items) : 'values'}`;
  return [schema.type ?? 'value', ...bounds].join(' ');
}

/** The generated section of one solver. */
export function section(solver) {
  const props = solver.params.properties ?? {};
  const rows = Object.entries(props).map(([name, s]) => {
    const dflt = s.default === undefined ? 'from the observation' : `\`${JSON.stringify(s.default)}\``;
    const meaning = (s.description ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');
    return `| \`${name}\` | ${typeOf(s)} | ${dflt} | ${meaning} |`;
  });
  const table = rows.length ? ['| option | type | default | meaning |', '|---|---|---|---|', ...rows].join('\n') : 'No options.';
  return `### \`${solver.id}\` — ${solver.title} (family \`${solver.family.id}\`)\n\n${solver.summary ?? ''}\n\n${table}\n`;
}

export function render(readme) {
  const head = readme.includes(START) ? readme.slice(0, readme.indexOf(START)) : readme;
  const handWritten = new Set([...head.matchAll(/^### `([^`]+)`/gm)].map((m) => m[1]));
  const missing = plugin.solvers.filter((s) => !handWritten.has(s.id));
  const body = `${START}\n\n${missing.map(section).join('\n')}\n${END}`;
  if (readme.includes(START)) return readme.slice(0, readme.indexOf(START)) + body + readme.slice(readme.indexOf(END) + END.length);
  throw new Error(`README.md has no "${START}" marker`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const readme = readFileSync(file, 'utf8');
  const next = render(readme);
  if (process.argv.includes('--check')) {
    process.exitCode = next === readme ? 0 : 1;
    console.log(next === readme ? 'README.md solver sections are up to date' : 'README.md solver sections are stale: run npm run readme');
  } else {
    writeFileSync(file, next);
    console.log(`wrote ${file}`);
  }
}
