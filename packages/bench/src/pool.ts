import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { Tinypool } from 'tinypool';
import { ParsimonyError, type ParsimonyErrorCode } from '@parsimony/core';
import type { AnswerMessage, JobReply, JobRequest, PortMessage, WorkerSetup } from './protocol.js';
import type { GenerateFailure, GenerateRequest } from './generator.js';
import type { GenerateFn, HeldInstance } from './instances.js';

/** A job as the pool takes it: the port, dispatch time and announce flag are the pool's business. */
export type PoolJob = Omit<JobRequest, 'port' | 'dispatchedAt' | 'announce'>;

/** How one job ended, seen from the parent. */
export type PoolOutcome =
  | { readonly kind: 'reply'; readonly reply: JobReply; readonly wallMs: number }
  | { readonly kind: 'killed'; readonly status: 'timeout' | 'error'; readonly message: string; readonly wallMs: number; readonly runMs: number };

export interface PoolOptions {
  readonly workers: number;
  readonly setup: WorkerSetup;
  /** Hard timeout = job budget + this, counted from when the worker starts the job. */
  readonly graceMs: number;
  /** A job the worker has not started after this long (a fresh worker loads the registry first) is an error. */
  readonly startupMs: number;
  /** V8 old-generation limit of each worker (resourceLimits.maxOldGenerationSizeMb). */
  readonly memoryLimitMb: number;
  /** Called with errors of idle workers (e.g. a stray timer a solver left behind). */
  readonly onWorkerError?: (e: Error) => void;
}

/** A compiled thread module in dist/ (also when this module runs from src/ under vitest): `worker.js` or `generator.js`. */
export function distFile(name: 'worker.js' | 'generator.js'): string {
  const here = fileURLToPath(import.meta.url);
  const file = here.endsWith('.ts') ? resolve(dirname(here), '../dist', name) : resolve(dirname(here), name);
  if (!existsSync(file)) {
    throw new Error(`the bench ${name.replace('.js', '')} ${file} is missing; build the bench first (npm run build at the root, or npx tsc -p tsconfig.lib.json in packages/bench)`);
  }
  return file;
}

/** The compiled worker: dist/worker.js. */
export function workerFile(): string {
  return distFile('worker.js');
}

/**
 * The parent's execArgv without the `@parsimony/source` export condition:
 * under vitest the parent resolves workspace packages to their TypeScript
 * sources, which a plain Node worker cannot load; the worker uses dist/.
 */
export function workerExecArgv(argv: readonly string[] = process.execArgv): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if ((a === '--conditions' || a === '-C') && argv[i + 1] === '@parsimony/source') i++;
    else if (a !== '--conditions=@parsimony/source' && a !== '-C=@parsimony/source') out.push(a);
  }
  return out;
}

/** Answers one `ctx.interact` request from the session (copying the answer); a session error goes back as data. */
function answer(port: MessagePort, id: number, method: string, args: readonly unknown[], interact: ((method: string, args: readonly unknown[]) => unknown) | undefined): void {
  let msg: AnswerMessage;
  try {
    if (!interact) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `ctx.interact('${method}'): this instance is not interactive`);
    msg = { type: 'answer', id, value: interact(method, Array.isArray(args) ? args : []) };
  } catch (e) {
    msg = { type: 'answer', id, error: errorData(e) };
  }
  try {
    port.postMessage(msg);
  } catch (e) {
    // The session answered something that cannot be cloned: a bug in the family, reported to the solver.
    port.postMessage({ type: 'answer', id, error: { message: `the session's answer to '${method}' cannot be sent to the worker: ${e instanceof Error ? e.message : String(e)}` } } satisfies AnswerMessage);
  }
}

function errorData(e: unknown): { message: string; code?: string; field?: string } {
  if (e instanceof ParsimonyError) return { message: e.message, code: e.code, ...(e.field !== undefined && { field: e.field }) };
  return { message: e instanceof Error ? e.message : String(e) };
}

/** Waits this long after a job's port closes unannounced for the pool to report why (e.g. out of memory). */
const CRASH_REPORT_WAIT_MS = 500;

function crashMessage(e: unknown, memoryLimitMb: number): string {
  const err = e as { code?: unknown; message?: unknown } | null;
  const text = typeof err?.message === 'string' ? err.message : String(e);
  if (err?.code === 'ERR_WORKER_OUT_OF_MEMORY') return `the worker ran out of memory (limit ${memoryLimitMb} MB of JS heap) and was stopped: ${text}`;
  return `the worker crashed: ${typeof err?.code === 'string' ? `${err.code}: ` : ''}${text}`.slice(0, 1000);
}

/**
 * A tinypool of bench workers with a hard per-job timeout. A job that
 * outlives budget + grace has its worker terminated (status `timeout`); a
 * worker that dies (memory limit, `process.exit`) fails only its job (status
 * `error`), and tinypool starts a fresh worker for the next one.
 *
 * The timeout counts from when the job starts, not from when a fresh worker
 * began loading plugins. Each job gets its own MessageChannel; on a warm
 * worker the job starts at once and nothing is posted on it (one message
 * less per job); a job that starts late, a worker's first job, and every job
 * while a replacement worker may still be starting (`announce`) post
 * `started`, and the timeout is re-armed from then. The channel closing
 * before the reply means the worker thread died.
 */
export class WorkerPool {
  private readonly pool: Tinypool;
  /** Workers started to replace killed ones that have not announced their first job yet. */
  private cold = 0;

  constructor(private readonly options: PoolOptions) {
    this.pool = new Tinypool({
      filename: workerFile(),
      minThreads: options.workers,
      maxThreads: options.workers,
      idleTimeout: 0,
      workerData: options.setup,
      execArgv: workerExecArgv(),
      resourceLimits: { maxOldGenerationSizeMb: options.memoryLimitMb },
    });
    // Without a listener, an error of an idle worker would be thrown in the parent.
    this.pool.on('error', (e: Error) => {
      this.cold++; // tinypool replaces the worker
      options.onWorkerError?.(e);
    });
  }

  /**
   * Resolves once a worker has loaded the plugin registry; rejects with the
   * reason when workers cannot start (e.g. dist/ is stale or broken), so a
   * broken install fails the run at once instead of failing every job.
   */
  async ready(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no bench worker started within ${this.options.startupMs} ms`)), this.options.startupMs);
    });
    try {
      // One ping per worker (a task with a signal never shares a worker), so all are warm.
      const pings = Array.from({ length: this.options.workers }, () => this.pool.run({ ping: true }, { signal: new AbortController().signal }));
      await Promise.race([Promise.all(pings), timeout]);
    } catch (e) {
      throw new Error(`the bench workers cannot start: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Runs one job; never rejects (every end is an outcome). `interact`
   * answers the job's `ctx.interact` requests (the session of an
   * interactive instance, which stays in this process with the truth).
   */
  run(job: PoolJob, transfer: ArrayBuffer[], interact?: (method: string, args: readonly unknown[]) => unknown): Promise<PoolOutcome> {
    const { graceMs, startupMs, memoryLimitMb } = this.options;
    const limit = job.budgetMs + graceMs;
    return new Promise((resolvePromise) => {
      const controller = new AbortController();
      const { port1, port2 } = new MessageChannel();
      const t0 = performance.now();
      const announce = this.cold > 0;
      // On a warm worker the job starts now; otherwise `started` will say when.
      let startedAt: number | undefined = announce ? undefined : t0;
      let timer: NodeJS.Timeout | undefined;
      let settled = false;
      let killed: { status: 'timeout' | 'error'; message: string } | undefined;
      const arm = (ms: number, fn: () => void) => {
        clearTimeout(timer);
        timer = setTimeout(fn, ms);
      };
      const runMs = () => (startedAt === undefined ? 0 : performance.now() - startedAt);
      const kill = (status: 'timeout' | 'error', message: string) => {
        if (settled || killed) return;
        killed = { status, message };
        controller.abort();
      };
      const overtime = () =>
        kill('timeout', `killed after ${Math.round(runMs())} ms: the solver did not return within its budget of ${job.budgetMs} ms + ${graceMs} ms grace (does it poll ctx.signal?)`);
      const finish = (outcome: PoolOutcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        port1.close();
        if (outcome.kind === 'killed') this.cold++; // tinypool replaces the worker
        resolvePromise(outcome);
      };

      if (announce) arm(startupMs, () => kill('error', `the worker did not start the job within ${startupMs} ms`));
      else arm(limit, overtime);
      port1.on('message', (m: PortMessage) => {
        if (settled) return;
        if (m.type === 'interact') answer(port1, m.id, m.method, m.args, interact);
        else if (m.type === 'started') {
          if (m.first && this.cold > 0) this.cold--;
          startedAt = performance.now();
          arm(limit, overtime);
        }
      });
      port1.on('close', () => {
        if (!settled) arm(CRASH_REPORT_WAIT_MS, () => kill('error', 'the worker exited during the job (did the solver call process.exit?)'));
      });

      const request: JobRequest = { ...job, dispatchedAt: performance.timeOrigin + t0, announce, port: port2 };
      this.pool.run(request, { transferList: [port2, ...transfer], signal: controller.signal }).then(
        (reply: JobReply) => finish({ kind: 'reply', reply, wallMs: performance.now() - t0 }),
        (e: unknown) => {
          const wallMs = performance.now() - t0;
          if (killed) finish({ kind: 'killed', ...killed, wallMs, runMs: runMs() });
          else finish({ kind: 'killed', status: 'error', message: crashMessage(e, memoryLimitMb), wallMs, runMs: runMs() });
        },
      );
    });
  }

  /** Terminates every worker (running jobs end with an error outcome). */
  async destroy(): Promise<void> {
    await this.pool.destroy();
  }
}

/**
 * The instance generator threads (dist/generator.js): trusted core code on
 * the parent's side, which makes instances ahead of time, off the thread
 * that dispatches jobs. Returns a {@link GenerateFn} and a way to stop them.
 */
export function generatorPool(setup: { cwd: string; pluginDirs: readonly string[] }, threads: number): { generate: GenerateFn; ready: () => Promise<void>; destroy: () => Promise<void> } {
  const pool = new Tinypool({
    filename: distFile('generator.js'),
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: 0,
    workerData: setup,
    execArgv: workerExecArgv(),
  });
  return {
    generate: async (family, params, seed) => {
      const out = (await pool.run({ family, params, seed } satisfies GenerateRequest)) as HeldInstance | GenerateFailure;
      if ('failed' in out) throw new ParsimonyError(out.failed.code as ParsimonyErrorCode, out.failed.message, out.failed.field);
      return out;
    },
    // Every thread loads the registry before the first instance is asked for (a task with a signal never shares a thread).
    ready: async () => {
      await Promise.all(Array.from({ length: threads }, () => pool.run({ ping: true }, { signal: new AbortController().signal })));
    },
    destroy: () => pool.destroy(),
  };
}
