import { closeSync, existsSync, fdatasync, fdatasyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ResultRecordSchema, checkValid, parseResultLines, type ResultRecord } from '@parsimony/core';

/** The results file of a run directory. */
export const RESULTS_FILE = 'results.jsonl';

/** What a results file holds: its valid records and the lines it skipped. */
export interface StoredResults {
  readonly records: ResultRecord[];
  /** Lines that did not parse or validate (reported, never fatal). */
  readonly skipped: { line: number; reason: string }[];
}

/**
 * Reads `results.jsonl` of a run directory (missing file: no records). A
 * torn last line and any invalid line are skipped and counted. When a job
 * appears twice, the later record wins.
 */
export function readResults(dir: string): StoredResults {
  const file = join(dir, RESULTS_FILE);
  if (!existsSync(file)) return { records: [], skipped: [] };
  const { records, skipped } = parseResultLines(readFileSync(file, 'utf8'));
  return { records: dedupe(records), skipped };
}

/** Keeps the last record of each job, in first-seen order. */
export function dedupe(records: readonly ResultRecord[]): ResultRecord[] {
  const byJob = new Map<string, ResultRecord>();
  for (const r of records) byJob.set(r.job, r);
  return [...byJob.values()];
}

/**
 * An append-only JSON Lines file: one record per line, each handed to the
 * operating system with a single write before `append` returns, so a crash
 * or `kill -9` of the bench loses at most the jobs still running. With
 * `durable` (the default) the file is also flushed to disk (fdatasync) at
 * most once per `syncIntervalMs` and on close, so a power loss costs at most
 * that much work; a flush per record would cost about a millisecond per job
 * on a busy disk. Opening an existing file cuts off a torn last line (a line
 * without its newline) so the next record starts on a line of its own; that
 * job is simply redone.
 */
export class ResultStore {
  private fd: number | undefined;
  private lastSync = performance.now();
  /** A background flush is running; the descriptor is closed when it ends if close() came meanwhile. */
  private flushing = false;
  private closeAfterFlush: number | undefined;

  private constructor(
    readonly file: string,
    fd: number,
    private readonly durable: boolean,
    private readonly syncIntervalMs: number,
  ) {
    this.fd = fd;
  }

  /**
   * Opens (creating) `dir/results.jsonl` for appending and returns the
   * records already in it. `tornBytes` is the length of a cut-off torn tail.
   */
  static open(dir: string, options: { durable?: boolean; syncIntervalMs?: number } = {}): { store: ResultStore; existing: StoredResults; tornBytes: number } {
    mkdirSync(dir, { recursive: true });
    const file = join(dir, RESULTS_FILE);
    const fd = openSync(file, 'a+');
    let tornBytes = 0;
    const bytes = readFileSync(fd);
    if (bytes.length > 0 && bytes[bytes.length - 1] !== 0x0a) {
      const keep = bytes.lastIndexOf(0x0a) + 1;
      tornBytes = bytes.length - keep;
      ftruncateSync(fd, keep);
    }
    const text = bytes.subarray(0, bytes.length - tornBytes).toString('utf8');
    const { records, skipped } = parseResultLines(text);
    return { store: new ResultStore(file, fd, options.durable ?? true, options.syncIntervalMs ?? 1000), existing: { records: dedupe(records), skipped }, tornBytes };
  }

  /** Validates a record against core's schema, appends it as one line and flushes it. */
  append(record: ResultRecord): void {
    if (this.fd === undefined) throw new Error(`${this.file} is closed`);
    const problem = checkValid(ResultRecordSchema, record, 'record');
    // A record the leaderboard would skip is a bench bug: fail loudly.
    if (problem) throw new Error(`bench bug: record of job '${record.job}' does not match ResultRecordSchema: ${problem.message}`);
    const line = Buffer.from(JSON.stringify(record) + '\n');
    for (let off = 0; off < line.length; ) off += writeSync(this.fd, line, off);
    if (this.durable && !this.flushing && performance.now() - this.lastSync >= this.syncIntervalMs) this.flushInBackground();
  }

  /** Flushes what was written to disk, now. */
  sync(): void {
    if (this.fd === undefined) return;
    fdatasyncSync(this.fd);
    this.lastSync = performance.now();
  }

  private flushInBackground(): void {
    const fd = this.fd!;
    this.flushing = true;
    this.lastSync = performance.now();
    // A failed background flush is not fatal here: the records are with the OS, and close() flushes again and throws.
    fdatasync(fd, () => {
      this.flushing = false;
      if (this.closeAfterFlush === fd) closeSync(fd);
    });
  }

  /** Flushes (when durable) and closes the file. */
  close(): void {
    if (this.fd === undefined) return;
    if (this.durable) this.sync();
    const fd = this.fd;
    this.fd = undefined;
    if (this.flushing) this.closeAfterFlush = fd;
    else closeSync(fd);
  }
}
