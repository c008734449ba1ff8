import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { Tinypool } from 'tinypool';
import { ParsimonyError, type ParsimonyErrorCode } from '@parsimony/core';
import type { AnswerMessage, FromWorker, JobReply, JobRequest, ServeRequest, ToWorker, WorkerSetup } from './protocol.js';
import type { GenerateFailure, GenerateRequest, GeneratorSetup } from './generator.js';
import type { GenerateFn, HeldInstance } from './instances.js';

/** A job as the pool takes it. */
export type PoolJob = JobRequest;

/** Makes a job's request and the buffers to move with it: called again if the job must be re-sent to a fresh worker. */
export type JobFactory = () => { readonly job: PoolJob; readonly transfer: ArrayBuffer[] };

/** Answers a job's `ctx.interact` requests (the session of an interactive instance, kept with the truth in the parent). */
export type InteractFn = (method: string, args: readonly unknown[]) => unknown;

/** How one job ended, seen from the parent. */
export type PoolOutcome =
  | { readonly kind: 'reply'; readonly reply: JobReply; readonly wallMs: number; /** When the job started on its worker (performance.now()). */ readonly startedAt: number }
  | { readonly kind: 'killed'; readonly status: 'timeout' | 'error'; readonly message: string; readonly wallMs: number; readonly runMs: number };

export interface PoolOptions {
  readonly workers: number;
  readonly setup: WorkerSetup;
  /** Hard timeout = job budget + this, counted from when the worker starts the job. */
  readonly graceMs: number;
  /** A worker that has not loaded the plugins after this long is stopped (its first job is an error). */
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
function answer(port: MessagePort, seq: number, id: number, method: string, args: readonly unknown[], interact: InteractFn | undefined): void {
  let msg: AnswerMessage;
  try {
    if (!interact) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `ctx.interact('${method}'): this instance is not interactive`);
    msg = { type: 'answer', seq, id, value: interact(method, Array.isArray(args) ? args : []) };
  } catch (e) {
    msg = { type: 'answer', seq, id, error: errorData(e) };
  }
  try {
    port.postMessage(msg satisfies ToWorker);
  } catch (e) {
    // The session answered something that cannot be cloned: a bug in the family, reported to the solver.
    port.postMessage({ type: 'answer', seq, id, error: { message: `the session's answer to '${method}' cannot be sent to the worker: ${e instanceof Error ? e.message : String(e)}` } } satisfies ToWorker);
  }
}

function errorData(e: unknown): { message: string; code?: string; field?: string } {
  if (e instanceof ParsimonyError) return { message: e.message, code: e.code, ...(e.field !== undefined && { field: e.field }) };
  return { message: e instanceof Error ? e.message : String(e) };
}

/** Waits this long after a worker's port closes unannounced for the pool to report why (e.g. out of memory). */
const CRASH_REPORT_WAIT_MS = 500;

function crashMessage(e: unknown, memoryLimitMb: number): string {
  const err = e as { code?: unknown; message?: unknown } | null;
  const text = typeof err?.message === 'string' ? err.message : String(e);
  if (err?.code === 'ERR_WORKER_OUT_OF_MEMORY') return `the worker ran out of memory (limit ${memoryLimitMb} MB of JS heap) and was stopped: ${text}`;
  return `the worker crashed: ${typeof err?.code === 'string' ? `${err.code}: ` : ''}${text}`.slice(0, 1000);
}

/** Jobs a worker holds at once: the one it solves and the next two, so it does not wait for the parent between jobs (a short job can end before the parent has sent the next). */
export const JOBS_PER_WORKER = 3;

/** A job given to the pool, until it ends. */
interface PoolTask {
  readonly make: JobFactory;
  readonly budgetMs: number;
  readonly interact?: InteractFn;
  readonly resolve: (outcome: PoolOutcome) => void;
  /** When the job was first handed to the pool (performance.now()). */
  readonly givenAt: number;
  /** Its number on the worker it was last sent to. */
  seq: number;
  /** When it started on its worker; undefined while queued behind another job, or on a worker still loading plugins. */
  startedAt?: number;
}

/**
 * One worker's life: the tinypool task serving it ({@link ServeRequest}),
 * its port, and the jobs sent to it that have not replied, in order (the
 * first is running once the worker is ready).
 */
interface Lane {
  readonly port: MessagePort;
  readonly controller: AbortController;
  readonly jobs: PoolTask[];
  ready: boolean;
  ended: boolean;
  /** Why the pool stopped this worker, when it did. */
  killed?: { readonly status: 'timeout' | 'error'; readonly message: string };
  timer?: NodeJS.Timeout;
}

/**
 * A tinypool of bench workers with a hard per-job timeout. Each worker runs
 * one long task that serves jobs sent on its own port, and holds up to
 * {@link JOBS_PER_WORKER} of them: the next job is queued in the worker while
 * the current one is solved, so the handoffs to and from the parent overlap
 * solves instead of leaving the worker idle.
 *
 * A job that outlives budget + grace (counted from when it starts: when
 * the job before it on the worker replies) has its worker terminated
 * (status `timeout`); a worker that dies (memory limit, `process.exit`)
 * fails only its running job (status `error`). Either way tinypool starts a
 * fresh worker, and the jobs that were queued behind the failed one, which
 * never started, are sent to it again, rebuilt by their {@link JobFactory}
 * (their buffers were moved to the dead worker).
 */
export class WorkerPool {
  private readonly pool: Tinypool;
  private readonly lanes: Lane[] = [];
  private seq = 0;
  private destroyed = false;
  /** Workers in a row that ended before loading the plugins. */
  private startupFailures = 0;
  /** Set when workers cannot start at all: why. Jobs then fail at once. */
  private broken: string | undefined;
  private readonly started: Promise<void>;

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
    this.pool.on('error', (e: Error) => options.onWorkerError?.(e));
    const ready: Promise<void>[] = [];
    for (let i = 0; i < options.workers; i++) {
      const { lane, ready: r } = this.open();
      this.lanes.push(lane);
      ready.push(r);
    }
    this.started = Promise.all(ready).then(() => undefined);
    this.started.catch(() => undefined); // reported by ready()
  }

  /**
   * Resolves once every worker has loaded the plugin registry; rejects with
   * the reason when workers cannot start (e.g. dist/ is stale or broken), so
   * a broken install fails the run at once instead of failing every job.
   */
  async ready(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no bench worker started within ${this.options.startupMs} ms`)), this.options.startupMs);
    });
    try {
      await Promise.race([this.started, timeout]);
    } catch (e) {
      throw new Error(`the bench workers cannot start: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Runs one job on the least busy worker; never rejects (every end is an
   * outcome). `interact` answers the job's `ctx.interact` requests.
   */
  run(make: JobFactory, budgetMs: number, interact?: InteractFn): Promise<PoolOutcome> {
    return new Promise((resolve) => {
      const task: PoolTask = { make, budgetMs, interact, resolve, givenAt: performance.now(), seq: -1 };
      if (this.destroyed) return resolve(this.stopped(task));
      if (this.broken !== undefined || this.lanes.length === 0) return resolve(this.unstartable(task));
      let best = this.lanes[0];
      for (const l of this.lanes) if (l.jobs.length < best.jobs.length) best = l;
      this.send(best, task);
    });
  }

  /** Terminates every worker (jobs not yet ended end with an error outcome). */
  async destroy(): Promise<void> {
    this.destroyed = true;
    await this.pool.destroy();
    for (const lane of this.lanes) this.end(lane, new Error('the pool was stopped'));
  }

  private stopped(task: PoolTask): PoolOutcome {
    return { kind: 'killed', status: 'error', message: 'the run was stopped before the job ended', wallMs: performance.now() - task.givenAt, runMs: 0 };
  }

  private unstartable(task: PoolTask): PoolOutcome {
    return { kind: 'killed', status: 'error', message: `no bench worker can start: ${this.broken ?? 'unknown reason'}`, wallMs: performance.now() - task.givenAt, runMs: 0 };
  }

  /** Starts serving on a worker (tinypool starts one if none is free); `ready` settles when it has loaded the plugins. */
  private open(): { lane: Lane; ready: Promise<void> } {
    const { port1, port2 } = new MessageChannel();
    const lane: Lane = { port: port1, controller: new AbortController(), jobs: [], ready: false, ended: false };
    let readyResolve!: () => void, readyReject!: (e: unknown) => void;
    const ready = new Promise<void>((res, rej) => {
      readyResolve = res;
      readyReject = rej;
    });
    ready.catch(() => undefined);
    this.arm(lane, this.options.startupMs, () => this.kill(lane, 'error', `the worker did not load the plugins within ${this.options.startupMs} ms`));
    port1.on('message', (m: FromWorker) => {
      if (lane.ended) return;
      if (m.type === 'ready') {
        lane.ready = true;
        this.startupFailures = 0;
        readyResolve();
        clearTimeout(lane.timer);
        this.startHead(lane);
      } else if (m.type === 'reply') {
        const head = lane.jobs[0];
        if (!head || head.seq !== m.seq) return;
        lane.jobs.shift();
        // The worker has started the next queued job, if any.
        this.startHead(lane);
        head.resolve({ kind: 'reply', reply: m.reply, wallMs: performance.now() - head.givenAt, startedAt: head.startedAt ?? head.givenAt });
      } else if (m.type === 'interact') {
        const job = lane.jobs.find((j) => j.seq === m.seq);
        answer(port1, m.seq, m.id, m.method, m.args, job?.interact);
      }
    });
    port1.on('close', () => {
      if (!lane.ended) this.arm(lane, CRASH_REPORT_WAIT_MS, () => this.kill(lane, 'error', 'the worker exited during the job (did the solver call process.exit?)'));
    });
    const request: ServeRequest = { serve: true, port: port2 };
    this.pool.run(request, { transferList: [port2], signal: lane.controller.signal }).then(
      () => this.end(lane, new Error('the worker stopped serving')),
      (e: unknown) => {
        // Killed while loading (the startup timer): say why, not "aborted".
        readyReject(lane.killed ? new Error(lane.killed.message) : e);
        this.end(lane, e);
      },
    );
    return { lane, ready };
  }

  private arm(lane: Lane, ms: number, fn: () => void): void {
    clearTimeout(lane.timer);
    lane.timer = setTimeout(fn, ms);
  }

  /** The lane's first job starts now (the worker is ready and nothing runs before it): its hard timeout starts too. */
  private startHead(lane: Lane): void {
    const head = lane.jobs[0];
    if (!lane.ready || !head || head.startedAt !== undefined) {
      if (lane.ready && !head) clearTimeout(lane.timer);
      return;
    }
    head.startedAt = performance.now();
    const { graceMs } = this.options;
    this.arm(lane, head.budgetMs + graceMs, () =>
      this.kill(lane, 'timeout', `killed after ${Math.round(performance.now() - head.startedAt!)} ms: the solver did not return within its budget of ${head.budgetMs} ms + ${graceMs} ms grace (does it poll ctx.signal?)`),
    );
  }

  private send(lane: Lane, task: PoolTask): void {
    task.seq = this.seq++;
    task.startedAt = undefined;
    let message: ToWorker, transfer: ArrayBuffer[];
    try {
      const made = task.make();
      message = { type: 'job', seq: task.seq, request: made.job };
      transfer = made.transfer;
      lane.jobs.push(task);
      lane.port.postMessage(message, transfer);
    } catch (e) {
      // A request that cannot be sent (e.g. params that do not clone) fails alone.
      const i = lane.jobs.indexOf(task);
      if (i >= 0) lane.jobs.splice(i, 1);
      task.resolve({ kind: 'killed', status: 'error', message: `the job cannot be sent to the worker: ${e instanceof Error ? e.message : String(e)}`, wallMs: performance.now() - task.givenAt, runMs: 0 });
      return;
    }
    this.startHead(lane);
  }

  /** Stops a lane's worker; its running job ends with this status, see {@link end}. */
  private kill(lane: Lane, status: 'timeout' | 'error', message: string): void {
    if (lane.ended || lane.killed) return;
    lane.killed = { status, message };
    lane.controller.abort();
  }

  /**
   * A worker is gone (killed, crashed, or the pool stopped): its running job
   * ends with the reason, the jobs queued behind it go to a fresh worker.
   */
  private end(lane: Lane, e: unknown): void {
    if (lane.ended) return;
    lane.ended = true;
    clearTimeout(lane.timer);
    lane.port.close();
    const [head, ...queued] = lane.jobs;
    lane.jobs.length = 0;
    if (this.destroyed) {
      for (const t of [head, ...queued]) t?.resolve(this.stopped(t));
      return;
    }
    // A worker that could not even load the plugins, twice in a row: fresh ones would not either.
    this.startupFailures = lane.ready ? 0 : this.startupFailures + 1;
    if (this.startupFailures >= 2) this.broken ??= crashMessage(e, this.options.memoryLimitMb);
    if (head) {
      const runMs = head.startedAt === undefined ? 0 : performance.now() - head.startedAt;
      const wallMs = performance.now() - head.givenAt;
      const why = lane.killed ?? { status: 'error' as const, message: crashMessage(e, this.options.memoryLimitMb) };
      head.resolve({ kind: 'killed', ...why, wallMs, runMs });
    }
    if (this.broken !== undefined) {
      for (const t of queued) t.resolve(this.unstartable(t));
      this.lanes.splice(this.lanes.indexOf(lane), 1);
      return;
    }
    // tinypool replaces the terminated worker; the lane serves on the new one.
    const { lane: fresh } = this.open();
    this.lanes[this.lanes.indexOf(lane)] = fresh;
    for (const t of queued) this.send(fresh, t);
  }
}

/**
 * The instance generator threads (dist/generator.js): trusted core code on
 * the parent's side, which makes instances ahead of time, off the thread
 * that dispatches jobs. Returns a {@link GenerateFn} and a way to stop them.
 */
export function generatorPool(setup: GeneratorSetup, threads: number): { generate: GenerateFn; ready: () => Promise<void>; destroy: () => Promise<void> } {
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
