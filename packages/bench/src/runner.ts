import { existsSync, readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { ParsimonyError, ResultRecordSchema, familiesIn, familyById, precompile, scoreSolution, type AnyFamily, type ResultRecord, type RunManifest } from '@parsimony/core';
import { loadRegistry, type LoadedRegistry } from './registry.js';
import { expandTasks, loadSuite, parseSuite, type LoadedSuite, type Suite, type Task } from './suite.js';
import { expandJobs, parseShard, shardJobs, suiteHash, type Job, type Shard } from './jobs.js';
import { InstanceCache, bytesOf, copyForTransfer, solverSeed, type HeldInstance } from './instances.js';
import { ByteGate } from './byte-gate.js';
import { JOBS_PER_WORKER, WorkerPool, generatorPool, type PoolJob, type PoolOutcome } from './pool.js';
import { ResultStore, readResults } from './store.js';
import { buildManifest, incompatibility, makeRunId, readManifest, writeManifest } from './manifest.js';

/** The parent-side session of an interactive instance (core does not export the type by name). */
type InteractionSession = ReturnType<NonNullable<AnyFamily['interaction']>['open']>;

/** Options of {@link runSuite}. Only `suite` is required. */
export interface RunSuiteOptions {
  /** A built-in suite name (`quick`, `default`, `scale`), a suite file path, or a suite object. */
  readonly suite: string | Suite;
  /** The run directory. Default: `<resultsDir>/<run-id>` (with `resume`: the latest matching run there). */
  readonly out?: string;
  /** Where run directories go when `out` is not given. Default: `results` under `cwd`. */
  readonly resultsDir?: string;
  /** Only solvers matching one of these globs (e.g. `baselines/*`). */
  readonly solvers?: readonly string[];
  /** Only tasks of these families. */
  readonly families?: readonly string[];
  /** Worker threads. Default: one per core. */
  readonly workers?: number;
  /** Run one part of the jobs: `{index, count}`, `'2/4'` or `'auto/4'` (JOB_COMPLETION_INDEX). */
  readonly shard?: Shard | string;
  /** Skip jobs already recorded in the run directory. */
  readonly resume?: boolean;
  /** Plugin discovery starts here. Default: process.cwd(). */
  readonly cwd?: string;
  /** Extra plugin package folders to load (e.g. a plugin under development). */
  readonly pluginDirs?: readonly string[];
  /** A job is killed this long after its budget. Default 1000 ms. */
  readonly graceMs?: number;
  /** A worker must start a job within this time (fresh workers load plugins first). Default 60 s. */
  readonly startupMs?: number;
  /** JS heap limit of each worker, MB. Default 2048. */
  readonly memoryLimitMb?: number;
  /** About this many trace points are kept per job (between n and 2n+1). Default 100. */
  readonly tracePoints?: number;
  /** Flush results.jsonl to disk (fdatasync) at least once a second and at the end (default true). Records reach the OS as each job ends either way. */
  readonly durable?: boolean;
  /** Stops the run: no new jobs, running ones are dropped (not recorded). */
  readonly signal?: AbortSignal;
  /** Called once the jobs are known, before any runs. */
  readonly onStart?: (info: RunStartInfo) => void;
  /** Called after each job's record is written. */
  readonly onJob?: (record: ResultRecord, info: JobInfo) => void;
  /** Non-fatal problems (a plugin that failed to load, a worker error between jobs). */
  readonly onWarning?: (message: string) => void;
}

export interface RunStartInfo {
  readonly dir: string;
  readonly manifest: RunManifest;
  /** Jobs in this shard. */
  readonly total: number;
  /** Of those, already recorded (resume). */
  readonly recorded: number;
  readonly workers: number;
}

/** Timing of one job, for progress and for the runner benchmark. */
export interface JobInfo {
  readonly done: number;
  readonly failed: number;
  readonly total: number;
  /** When the parent began preparing this job (performance.now() of the parent), ms. */
  readonly startMs: number;
  /** Parent wall time from dispatch to record written, ms (excludes instance generation). */
  readonly wallMs: number;
  /** The solve itself, timed in the worker, ms. */
  readonly solveMs: number;
  /** The parent's own work on this job: opening its session, copying the observation, validation and scoring, writing the record. It overlaps the worker's solves (the lanes are pipelined). */
  readonly parentMs: number;
  /** Of `wallMs`, the worker's handling of the job, the solve included (0 when the worker was killed). */
  readonly workerMs: number;
  /** Time to generate the instance when this job generated it, else 0. */
  readonly generateMs: number;
  /** When the job started on its worker (performance.now() of the parent; the pool's estimate: when the job before it replied), if it got that far. */
  readonly startedMs?: number;
}

export interface RunSuiteResult {
  readonly dir: string;
  readonly manifest: RunManifest;
  /** Every record of the run directory (resumed ones included), one per job. */
  readonly records: ResultRecord[];
  /** Jobs run by this call. */
  readonly ran: number;
  /** Jobs skipped because they were already recorded. */
  readonly resumed: number;
  /** Bytes of a torn last line that were cut off on resume. */
  readonly tornBytes: number;
  /** True when `signal` stopped the run early. */
  readonly interrupted: boolean;
  readonly warnings: string[];
}

/** Everything a run needs, resolved from options: exposed so tools can list jobs without running them. */
export interface PlannedRun {
  readonly registry: LoadedRegistry;
  readonly suite: LoadedSuite;
  readonly hash: string;
  /** The suite's tasks, expanded, after filters. */
  readonly tasks: Task[];
  /** All jobs of the suite (every shard), after filters. */
  readonly allJobs: Job[];
  /** The jobs of this shard. */
  readonly jobs: Job[];
  readonly shard?: Shard;
}

/** Loads the registry and the suite and expands the jobs (and the shard), without running anything. */
export async function planRun(options: RunSuiteOptions): Promise<PlannedRun> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const registry = await loadRegistry({ cwd, pluginDirs: options.pluginDirs });
  const suite: LoadedSuite = typeof options.suite === 'string' ? loadSuite(options.suite) : { suite: parseSuite(options.suite), source: 'inline' };
  const tasks = expandTasks(suite.suite, familiesIn(registry.container), options.families);
  const allJobs = expandJobs(tasks, registry.container, options.solvers);
  const shard = typeof options.shard === 'string' ? parseShard(options.shard) : options.shard;
  if (shard && (!Number.isSafeInteger(shard.index) || !Number.isSafeInteger(shard.count) || shard.index < 1 || shard.index > shard.count)) {
    throw new ParsimonyError('PARSIMONY_BAD_INPUT', `shard ${shard.index}/${shard.count}: need 1 <= i <= n`, 'shard');
  }
  const hash = suiteHash(suite.suite, tasks, { solvers: options.solvers, families: options.families });
  return { registry, suite, hash, tasks, allJobs, jobs: shardJobs(allJobs, shard), shard };
}

/** The newest run directory under `root` of the same suite content and shard, if any. */
function latestRun(root: string, name: string, hash: string, shard: Shard | undefined): string | undefined {
  if (!existsSync(root)) return undefined;
  const dirs = readdirSync(root)
    .filter((d) => d.startsWith(`${name}-`))
    .sort()
    .reverse();
  for (const d of dirs) {
    try {
      const m = readManifest(join(root, d));
      if (m && m.suite.hash === hash && m.shard?.index === shard?.index && m.shard?.count === shard?.count) return join(root, d);
    } catch {
      /* not a run directory: skip */
    }
  }
  return undefined;
}

function errorRecordReason(e: unknown): string {
  return `scoring failed (a bug in the family's score or checks): ${e instanceof Error ? e.message : String(e)}`.slice(0, 1000);
}

/** Turns a job's outcome into its record: the solution is validated and scored here, in the parent. */
function toRecord(job: Job, inst: HeldInstance, outcome: PoolOutcome, familyOf: (id: string) => ReturnType<typeof familyById>, session?: InteractionSession): ResultRecord {
  const base = {
    job: job.key,
    task: job.task.id,
    family: job.task.family,
    seed: job.seed,
    solver: job.solver,
    plugin: job.plugin,
    params: job.params,
    size: job.task.size,
    instance_hash: inst.hash,
  };
  const finished_at = new Date().toISOString();
  if (outcome.kind === 'killed') {
    return { ...base, status: outcome.status, reason: outcome.message, time_ms: outcome.runMs, finished_at };
  }
  const { reply } = outcome;
  const cost = { time_ms: reply.timeMs, memory_bytes: reply.heapBytes, ...(reply.trace.length > 0 && { trace: reply.trace }) };
  if (reply.kind === 'failed') return { ...base, status: reply.status, reason: reply.message, ...cost, finished_at };
  try {
    const scored = scoreSolution(familyOf(job.task.family), inst.observation, inst.truth, reply.solution, session?.usage());
    if (scored.status === 'ok') return { ...base, status: 'ok', metrics: scored.metrics, ...cost, finished_at };
    return { ...base, status: 'invalid', reason: scored.reason, ...cost, finished_at };
  } catch (e) {
    return { ...base, status: 'error', reason: errorRecordReason(e), ...cost, finished_at };
  }
}

/**
 * Runs a suite: every registered solver on every task and seed (of this
 * shard), in a pool of workers, appending one record per job to
 * `<dir>/results.jsonl` as each ends, after writing `<dir>/manifest.json`.
 * Failed jobs (invalid, error, timeout) are results too; bad input (suite,
 * filters, shard, a resume that does not match) throws a ParsimonyError.
 *
 * @example
 * const { dir, records } = await runSuite({ suite: 'quick', workers: 2 });
 */
export async function runSuite(options: RunSuiteOptions): Promise<RunSuiteResult> {
  const warnings: string[] = [];
  const warn = (m: string) => {
    warnings.push(m);
    options.onWarning?.(m);
  };
  const cwd = resolve(options.cwd ?? process.cwd());
  const plan = await planRun(options);
  const { registry, suite, hash, shard } = plan;
  for (const b of registry.broken) warn(`skipped plugin ${b.packageName}: ${b.reason}`);
  const workers = Math.max(1, Math.floor(options.workers ?? availableParallelism()));

  const resultsDir = resolve(cwd, options.resultsDir ?? 'results');
  let dir = options.out ? resolve(cwd, options.out) : undefined;
  if (!dir && options.resume) {
    dir = latestRun(resultsDir, suite.suite.name, hash, shard);
    if (!dir) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `--resume: no earlier run of suite '${suite.suite.name}' with this content${shard ? ` and shard ${shard.index}/${shard.count}` : ''} in ${resultsDir}; pass --out DIR`, 'resume');
  }
  const runId = makeRunId(suite.suite.name, shard);
  dir ??= join(resultsDir, runId);

  const familyIds = [...new Set(plan.tasks.map((t) => t.family))];
  const families = familyIds.map((id) => familyById(registry.container, id));
  // Compiled now, not on the first job of each family: compiling one takes milliseconds, during which no job is dispatched.
  for (const f of families) precompile(f.schemas.solution);
  precompile(ResultRecordSchema);
  const fresh = buildManifest({
    runId: options.out ? (dir.split(/[\\/]/).pop() ?? runId) : runId,
    suite: {
      name: suite.suite.name,
      hash,
      source: suite.source,
      ...(suite.suite.description && { description: suite.suite.description }),
      jobs: plan.allJobs.length,
      ...(plan.tasks.some((t) => t.primary !== undefined) && { primary: Object.fromEntries(plan.tasks.filter((t) => t.primary !== undefined).map((t) => [t.id, t.primary!])) }),
      ...((options.solvers || options.families) && { filters: { ...(options.solvers && { solvers: options.solvers }), ...(options.families && { families: options.families }) } }),
    },
    registry,
    families,
    shard,
    cwd,
  });

  const prior = readManifest(dir);
  let manifest = fresh;
  const holdsResults = readResults(dir).records.length > 0;
  if (holdsResults && !prior) {
    throw new ParsimonyError('PARSIMONY_BAD_INPUT', `${dir} holds results but no manifest.json, so they cannot be checked against this suite; choose another --out`, 'out');
  }
  if (prior && options.resume) {
    const why = incompatibility(prior, fresh);
    if (why) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `cannot resume ${dir}: ${why}`, 'resume');
    if (prior.shard?.index !== shard?.index || prior.shard?.count !== shard?.count) {
      const s = (x?: { index: number; count: number }) => (x ? `${x.index}/${x.count}` : 'none');
      throw new ParsimonyError('PARSIMONY_BAD_INPUT', `cannot resume ${dir}: it ran shard ${s(prior.shard)}, this is shard ${s(shard)}`, 'resume');
    }
    manifest = prior;
  } else if (holdsResults) {
    throw new ParsimonyError('PARSIMONY_BAD_INPUT', `${dir} already holds results; pass --resume to continue that run, or another --out`, 'out');
  }

  const { store, existing, tornBytes } = ResultStore.open(dir, { durable: options.durable });
  if (manifest === fresh) writeManifest(dir, manifest);
  if (tornBytes > 0) warn(`cut off a torn last line (${tornBytes} bytes) in ${store.file}; its job runs again`);
  for (const s of existing.skipped) warn(`${store.file}:${s.line}: skipped (${s.reason}); its job runs again`);

  const recorded = new Set(existing.records.map((r) => r.job));
  const todo = plan.jobs.filter((j) => !recorded.has(j.key));
  const resumed = plan.jobs.length - todo.length;
  const inShard = new Set(plan.jobs.map((j) => j.key));
  const records: ResultRecord[] = existing.records.filter((r) => inShard.has(r.job));
  const isFailure = (r: ResultRecord) => r.status !== 'ok' && r.status !== 'skipped';
  let failed = records.filter(isFailure).length;
  options.onStart?.({ dir, manifest, total: plan.jobs.length, recorded: resumed, workers: Math.max(1, Math.min(workers, todo.length)) });

  let interrupted = false;
  let fatal: unknown;
  let ran = 0;
  if (todo.length > 0 && !options.signal?.aborted) {
    const familyOf = (id: string) => familyById(registry.container, id);
    const threads = Math.min(workers, todo.length);
    // Instances are made ahead on generator threads (one per four workers), so the parent's
    // thread only dispatches, scores and records, and generation overlaps the solves.
    const generators = generatorPool({ cwd, pluginDirs: (options.pluginDirs ?? []).map((d) => resolve(cwd, d)), families: familyIds }, Math.max(1, Math.min(4, Math.ceil(threads / 4))));
    // Generated ahead: a few instances always, more while they are small (256 MiB held at most beyond those).
    const cache = new InstanceCache(suite.suite.name, generators.generate, todo, { min: threads + 1, max: 16 * threads + 8, bytes: 256 * 2 ** 20 });
    // Observation copies in flight: beyond 512 MiB, jobs wait for replies instead of queuing in the workers.
    const gate = new ByteGate(512 * 2 ** 20);
    /** Instances whose generation time was already reported (with their first job). */
    const reported = new WeakSet<HeldInstance>();
    const pool = new WorkerPool({
      workers: threads,
      setup: { cwd, pluginDirs: (options.pluginDirs ?? []).map((d) => resolve(cwd, d)), tracePoints: options.tracePoints ?? 100, solvers: [...new Set(todo.map((j) => j.solver))] },
      graceMs: options.graceMs ?? 1000,
      startupMs: options.startupMs ?? 60_000,
      memoryLimitMb: options.memoryLimitMb ?? 2048,
      onWorkerError: (e) => warn(`a worker failed between jobs: ${e.message}`),
    });
    const onAbort = () => {
      interrupted = true;
      void pool.destroy();
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    let next = 0;
    // The generator threads start on the first instances while the workers load the plugins.
    const ready = Promise.all([pool.ready(), generators.ready()]);
    cache.acquire(todo[0]).catch(() => undefined);
    /** A job made ready to dispatch: its instance held, its session open, its observation copied. */
    interface Prepared {
      readonly job: Job;
      readonly inst: HeldInstance;
      readonly session?: InteractionSession;
      readonly sessionError?: string;
      readonly request: PoolJob;
      /** The request's buffers (a private copy of the observation), moved to the worker. */
      readonly transfer: ArrayBuffer[];
      /** Their size, held in the byte gate until the reply. */
      readonly bytes: number;
      readonly startMs: number;
      readonly generateMs: number;
      readonly prepareMs: number;
    }
    const prepare = async (): Promise<Prepared | undefined> => {
      if (interrupted || fatal !== undefined || next >= todo.length) return undefined;
      const job = todo[next++];
      const startMs = performance.now();
      let inst: HeldInstance;
      let generateMs = 0;
      try {
        inst = await cache.acquire(job);
        if (!reported.has(inst)) {
          reported.add(inst);
          generateMs = inst.generateMs;
        }
      } catch (e) {
        if (interrupted) return undefined;
        fatal = e instanceof ParsimonyError ? new ParsimonyError(e.code, `task ${job.task.id}, seed ${job.seed}: cannot generate the instance: ${e.message}`, e.field) : e;
        return undefined;
      }
      if (interrupted || fatal !== undefined) return undefined;
      const bytes = bytesOf(inst.observation);
      await gate.take(bytes);
      const t0 = performance.now();
      // Interactive families: this job's session, in the parent with the truth, answers ctx.interact.
      let session: InteractionSession | undefined;
      let sessionError: string | undefined;
      try {
        session = familyOf(job.task.family).interaction?.open(inst.observation, inst.truth);
      } catch (e) {
        sessionError = `cannot open the interaction session (a bug in the family): ${e instanceof Error ? e.message : String(e)}`;
      }
      const { value: observation, transfer } = copyForTransfer(inst.observation);
      const request: PoolJob = { key: job.key, solver: job.solver, params: job.params, observation, seed: solverSeed(suite.suite.name, job.task.id, job.seed, job.solver), budgetMs: job.task.budgetMs };
      return { job, inst, session, sessionError, request, transfer, bytes, startMs, generateMs, prepareMs: performance.now() - t0 };
    };
    const dispatch = (p: Prepared) => {
      let first = true;
      // The prepared copy goes first; a job re-sent to a fresh worker (its worker was killed before it started) gets a new one.
      const make = () => {
        if (first) {
          first = false;
          return { job: p.request, transfer: p.transfer };
        }
        const { value: observation, transfer } = copyForTransfer(p.inst.observation);
        return { job: { ...p.request, observation }, transfer };
      };
      return pool.run(make, p.request.budgetMs, p.session && ((method, args) => p.session!.handle(method, args)));
    };
    // Each lane keeps one job in a worker, and there are JOBS_PER_WORKER
    // lanes per worker, so a worker holds its next jobs when a solve ends
    // (the byte gate permitting). A lane dispatches its next job as soon as
    // its reply arrives, before scoring and recording the reply, so the
    // parent's work (copying, validation, scoring, writing) overlaps the
    // solves; instances are generated ahead on the generator threads.
    const lane = async () => {
      await ready;
      let cur = await prepare();
      let pending = cur && dispatch(cur);
      let dispatchedAt = performance.now();
      while (cur && pending) {
        const outcome = await pending;
        gate.give(cur.bytes);
        if (interrupted) return;
        const repliedAt = performance.now();
        const nxt = await prepare(); // usually at once: generated ahead on the generator thread
        pending = nxt && dispatch(nxt);
        const nextDispatchedAt = performance.now();
        const { job, inst, session, sessionError } = cur;
        const record = sessionError
          ? { ...toRecord(job, inst, outcome, familyOf), status: 'error' as const, reason: sessionError, metrics: undefined }
          : toRecord(job, inst, outcome, familyOf, session);
        cache.release(job);
        store.append(record);
        records.push(record);
        ran++;
        if (isFailure(record)) failed++;
        const recordedAt = performance.now();
        const reply = outcome.kind === 'reply' ? outcome.reply : undefined;
        options.onJob?.(record, {
          done: records.length,
          failed,
          total: plan.jobs.length,
          startMs: cur.startMs,
          wallMs: recordedAt - dispatchedAt,
          solveMs: reply?.timeMs ?? (outcome.kind === 'killed' ? outcome.runMs : 0),
          parentMs: cur.prepareMs + (recordedAt - repliedAt),
          workerMs: reply?.handlerMs ?? 0,
          generateMs: cur.generateMs,
          startedMs: outcome.kind === 'reply' ? outcome.startedAt : undefined,
        });
        cur = nxt;
        dispatchedAt = nextDispatchedAt;
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(JOBS_PER_WORKER * threads, todo.length) }, lane));
    } catch (e) {
      // Stopping the pool on an interrupt fails the startup ping: that is the interrupt, not an error.
      if (!interrupted) fatal ??= e;
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
      await pool.destroy().catch(() => undefined);
      await generators.destroy().catch(() => undefined);
      store.close();
    }
  } else store.close();
  if (options.signal?.aborted) interrupted = true;
  if (fatal !== undefined) throw fatal;
  return { dir, manifest, records, ran, resumed, tornBytes, interrupted, warnings };
}
