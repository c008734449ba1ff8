import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { ResultRecord } from '@parsimony/core';
import { RESULTS_FILE, ResultStore, readResults } from '../src/store.js';
import { tmp } from './helpers.js';

const rec = (job: string, extra: Partial<ResultRecord> = {}): ResultRecord => ({
  job,
  task: 't/a',
  family: 'sparse-recovery',
  seed: 0,
  solver: 'p/s',
  plugin: 'p',
  params: {},
  status: 'ok',
  metrics: { nmse_db: -20 },
  time_ms: 1,
  finished_at: '2025-01-01T00:00:00.000Z',
  ...extra,
});

describe('results store', () => {
  test('appends one line per record, each ending in a newline, and reads them back', () => {
    const dir = tmp();
    const { store, existing } = ResultStore.open(dir);
    expect(existing.records).toEqual([]);
    store.append(rec('a'));
    store.append(rec('b', { status: 'timeout', reason: 'budget', metrics: undefined }));
    store.close();
    const text = readFileSync(join(dir, RESULTS_FILE), 'utf8');
    expect(text.split('\n')).toHaveLength(3);
    expect(text.endsWith('\n')).toBe(true);
    expect(readResults(dir).records.map((r) => r.job)).toEqual(['a', 'b']);
  });

  test('durable flushes run in the background; closing during one flushes, closes, and keeps every line', async () => {
    const dir = tmp();
    const { store } = ResultStore.open(dir, { syncIntervalMs: 0 });
    for (let i = 0; i < 50; i++) store.append(rec(`j${i}`));
    store.close(); // a background flush is likely still running
    store.close(); // closing twice is harmless
    await new Promise((r) => setTimeout(r, 50));
    expect(readResults(dir).records.map((r) => r.job)).toEqual(Array.from({ length: 50 }, (_, i) => `j${i}`));
    expect(() => store.append(rec('late'))).toThrow(/is closed/);
  });

  test('a torn last line is cut off on open, so the next record starts a line of its own', () => {
    const dir = tmp();
    const { store } = ResultStore.open(dir);
    store.append(rec('a'));
    store.close();
    appendFileSync(join(dir, RESULTS_FILE), JSON.stringify(rec('b')).slice(0, 40));
    expect(readResults(dir)).toMatchObject({ records: [{ job: 'a' }], skipped: [{ line: 2 }] });
    const reopened = ResultStore.open(dir);
    expect(reopened.tornBytes).toBe(40);
    expect(reopened.existing.records.map((r) => r.job)).toEqual(['a']);
    reopened.store.append(rec('b'));
    reopened.store.close();
    expect(readResults(dir)).toEqual({ records: [rec('a'), rec('b')], skipped: [] });
  });

  test('an invalid line in the middle is skipped and counted, never fatal', () => {
    const dir = tmp();
    writeFileSync(join(dir, RESULTS_FILE), `${JSON.stringify(rec('a'))}\n{"job": 1}\nnot json\n${JSON.stringify(rec('b'))}\n`);
    const { records, skipped } = readResults(dir);
    expect(records.map((r) => r.job)).toEqual(['a', 'b']);
    expect(skipped.map((s) => s.line)).toEqual([2, 3]);
  });

  test('a job recorded twice reads as its later record', () => {
    const dir = tmp();
    writeFileSync(join(dir, RESULTS_FILE), `${JSON.stringify(rec('a', { time_ms: 1 }))}\n${JSON.stringify(rec('a', { time_ms: 2 }))}\n`);
    expect(readResults(dir).records).toEqual([rec('a', { time_ms: 2 })]);
  });

  test('a record that does not match the schema is refused before it is written', () => {
    const dir = tmp();
    const { store } = ResultStore.open(dir);
    expect(() => store.append({ ...rec('a'), time_ms: -1 })).toThrow(/does not match ResultRecordSchema: record.time_ms must be >= 0/);
    store.close();
    expect(readFileSync(join(dir, RESULTS_FILE), 'utf8')).toBe('');
  });
});
