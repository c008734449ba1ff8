/**
 * The bench worker (run by tinypool from dist/worker.js). It loads the
 * plugin registry once, then serves the jobs the parent sends on its port
 * ({@link ServeRequest}), in order. For each job it resolves the solver,
 * checks the params (the parent checked the observation when it generated
 * it), runs the solver with core's SolveService context (seeded RNG, budget
 * signal, trace sink) and sends back the raw solution, its time, a
 * downsampled trace and the heap growth. It never sees the truth and never
 * scores: the parent does both.
 */
import { getHeapStatistics } from 'node:v8';
import { types } from 'node:util';
import { Tinypool } from 'tinypool';
import { ParsimonyError, precompile, resolveParams, skipReason, solveService, solverById, type AnySolver, type ParsimonyErrorCode, type SolveService, type TracePoint } from '@parsimony/core';
import { buffersOf } from './instances.js';
import { loadRegistry } from './registry.js';
import { TraceSampler } from './trace.js';
import type { AnswerMessage, FailedReply, FromWorker, JobMessage, JobReply, JobRequest, ServeRequest, ToWorker, WorkerSetup } from './protocol.js';

const setup = (Tinypool.workerData ?? { cwd: process.cwd(), pluginDirs: [], tracePoints: 100 }) as WorkerSetup;

/** The loaded plugins, with what every job needs from them resolved once (tens of µs a job otherwise). */
interface Served {
  readonly service: SolveService;
  /** Solvers by id, looked up on first use. */
  readonly solver: (id: string) => AnySolver;
}

let registry: Promise<Served> | undefined;
function getRegistry(): Promise<Served> {
  registry ??= loadRegistry({ cwd: setup.cwd, pluginDirs: setup.pluginDirs }).then((reg) => {
    const solvers = new Map<string, AnySolver>();
    const solver = (id: string) => {
      let s = solvers.get(id);
      if (!s) solvers.set(id, (s = solverById(reg.container, id).solver));
      return s;
    };
    for (const id of setup.solvers ?? []) {
      try {
        precompile(solver(id).params);
      } catch {
        /* an unknown solver: its job reports that */
      }
    }
    return { service: solveService(reg.container), solver };
  });
  return registry;
}
// Start loading now, while the parent prepares the first job; a failure surfaces in that job.
getRegistry().catch(() => undefined);

type Port = ServeRequest['port'];

/** V8 heap in use plus external memory (typed-array buffers), bytes. */
function heapInUse(): number {
  const h = getHeapStatistics();
  return h.used_heap_size + h.external_memory;
}

/** Why a value cannot be a solution (not plain data), or undefined. */
export function notPlainData(value: unknown, path: string, ancestors: object[] = []): string | undefined {
  if (value === null || value === undefined) return undefined;
  const t = typeof value;
  if (t === 'number' || t === 'string' || t === 'boolean' || t === 'bigint') return undefined;
  if (t === 'function' || t === 'symbol') return `${path} is a ${t}`;
  const obj = value as object;
  if (types.isProxy(obj)) return `${path} is a Proxy`;
  if (ArrayBuffer.isView(obj) || obj instanceof ArrayBuffer) return undefined;
  if (ancestors.includes(obj)) return `${path} refers back to an enclosing object (a cycle)`;
  if (ancestors.length >= 64) return `${path} is nested more than 64 levels deep`;
  const proto = Object.getPrototypeOf(obj);
  const inner = [...ancestors, obj];
  if (Array.isArray(obj)) {
    for (let i = 0; i < obj.length; i++) {
      const p = notPlainData(obj[i], `${path}[${i}]`, inner);
      if (p) return p;
    }
    return undefined;
  }
  if (proto !== Object.prototype && proto !== null) return `${path} is a ${String((obj as { constructor?: { name?: string } }).constructor?.name ?? 'class')} instance`;
  for (const [k, v] of Object.entries(obj)) {
    const p = notPlainData(v, `${path}.${k}`, inner);
    if (p) return p;
  }
  return undefined;
}

/**
 * `ctx.interact` for interactive families: each request goes to the parent,
 * where the instance's session answers it (arguments and answers are
 * copied, never transferred, so neither side loses a buffer it keeps). A
 * session error comes back as the ParsimonyError it was.
 */
function interactOver(port: Port, seq: number): { interact: (method: string, args: readonly unknown[]) => Promise<unknown>; answer: (m: AnswerMessage) => void } {
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let next = 0;
  return {
    interact: (method, args) =>
      new Promise((resolve, reject) => {
        const id = next++;
        pending.set(id, { resolve, reject });
        try {
          port.postMessage({ type: 'interact', seq, id, method, args: [...args] } satisfies FromWorker);
        } catch (e) {
          pending.delete(id);
          reject(e instanceof Error ? e : new Error(String(e)));
        }
      }),
    answer: (m) => {
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      if (m.error) p.reject(new ParsimonyError((m.error.code ?? 'PARSIMONY_BAD_INPUT') as ParsimonyErrorCode, m.error.message, m.error.field));
      else p.resolve(m.value);
    },
  };
}

function describe(e: unknown): string {
  try {
    if (e instanceof Error) {
      const code = (e as { code?: unknown }).code;
      return `${typeof code === 'string' ? `${code}: ` : e.name && e.name !== 'Error' ? `${e.name}: ` : ''}${e.message}`;
    }
    return `threw a non-Error value: ${String(e)}`;
  } catch {
    return 'threw a value that cannot be described';
  }
}

function isAbort(e: unknown): boolean {
  const x = e as { code?: unknown; name?: unknown } | null;
  return !!x && typeof x === 'object' && (x.code === 'PARSIMONY_ABORTED' || x.name === 'AbortError' || x.name === 'TimeoutError');
}

/**
 * Serves jobs (see the module comment); the default export is tinypool's
 * handler. A ping only loads the registry. The returned promise settles
 * when the parent closes the port, which it does when the run ends.
 */
export default async function serve(req: ServeRequest | { ping: true }): Promise<unknown> {
  const reg = await getRegistry();
  if ('ping' in req) return { pong: true };
  const { port } = req;
  const queue: JobMessage[] = [];
  let running = false;
  /** Routes ctx.interact answers to the running job. */
  let answer: ((m: AnswerMessage) => void) | undefined;
  const pump = async () => {
    running = true;
    for (let m = queue.shift(); m; m = queue.shift()) {
      const channel = interactOver(port, m.seq);
      answer = channel.answer;
      const { reply, transfer } = await runJob(reg, m.request, channel.interact);
      answer = undefined;
      try {
        port.postMessage({ type: 'reply', seq: m.seq, reply } satisfies FromWorker, transfer);
      } catch {
        // A buffer that cannot be moved (e.g. a view of WebAssembly memory) is copied instead.
        post(m.seq, reply);
      }
    }
    running = false;
  };
  /** Posts a reply by copy; if even that fails, a reply saying why, so the parent never waits for one that cannot come. */
  const post = (seq: number, reply: JobReply) => {
    try {
      port.postMessage({ type: 'reply', seq, reply } satisfies FromWorker);
    } catch (e) {
      const failed: FailedReply = { kind: 'failed', status: 'invalid', message: `the solution cannot be sent to the parent: ${describe(e)}`, timeMs: reply.timeMs, trace: [], heapBytes: reply.heapBytes, handlerMs: reply.handlerMs };
      port.postMessage({ type: 'reply', seq, reply: failed } satisfies FromWorker);
    }
  };
  return new Promise<void>((resolve) => {
    port.on('message', (m: ToWorker) => {
      if (m.type === 'job') {
        queue.push(m);
        if (!running) void pump();
      } else if (m.type === 'answer') answer?.(m);
    });
    port.once('close', () => resolve());
    port.postMessage({ type: 'ready' } satisfies FromWorker);
  });
}

/** Runs one job and packs its reply, with the buffers of the solution to move (not copy) to the parent. */
async function runJob(reg: Served, req: JobRequest, interact: (method: string, args: readonly unknown[]) => Promise<unknown>): Promise<{ reply: JobReply; transfer: ArrayBuffer[] }> {
  const entered = performance.now();
  const sampler = new TraceSampler(setup.tracePoints);
  const base = heapInUse();
  let peak = base;
  let lastSample = performance.now();
  const sample = () => {
    const h = heapInUse();
    if (h > peak) peak = h;
  };
  // The trace sink: SolveService pushes each reported point here. Only a
  // bounded sample is kept, and the heap is sampled at most once per ms.
  const sink = Object.assign([] as TracePoint[], {
    push: (...points: TracePoint[]) => {
      for (const p of points) sampler.add(p);
      const now = performance.now();
      if (now - lastSample >= 1) {
        lastSample = now;
        sample();
      }
      return 0;
    },
  });
  const extras = () => ({ trace: sampler.points(), heapBytes: Math.max(0, peak - base), handlerMs: performance.now() - entered });

  let t0 = performance.now();
  let signal: AbortSignal | undefined;
  try {
    const solver = reg.solver(req.solver);
    // The observation was checked against its family once, in the parent, when the instance was generated.
    const params = resolveParams(solver, req.params);
    // A solver that does not handle this variant is not run: the job is skipped, not failed.
    const skipped = skipReason(solver, req.observation as never, params);
    if (skipped !== undefined) return { reply: { kind: 'failed', status: 'skipped', message: skipped.slice(0, 1000), timeMs: 0, ...extras() }, transfer: [] };
    const { ctx, run, dispose } = reg.service.context({ seed: req.seed, budgetMs: req.budgetMs, trace: sink, interact: solver.family.interaction ? interact : undefined });
    // Core's context checks the deadline whenever the signal is polled, so synchronous solvers stop on time too.
    signal = ctx.signal;
    t0 = performance.now();
    let solution: unknown;
    try {
      solution = await run(solver, req.observation, params);
    } finally {
      dispose();
    }
    const timeMs = performance.now() - t0;
    sample();
    const problem = notPlainData(solution, 'solution');
    if (problem) return { reply: { kind: 'failed', status: 'invalid', message: `the solution is not plain data: ${problem}; return objects, arrays, numbers and typed arrays`, timeMs, ...extras() }, transfer: [] };
    return { reply: { kind: 'solved', solution, timeMs, ...extras() }, transfer: [...buffersOf(solution)] };
  } catch (e) {
    const timeMs = performance.now() - t0;
    sample();
    const timedOut = signal?.aborted === true || isAbort(e);
    const budget = `time budget of ${req.budgetMs} ms exhausted`;
    const message = !timedOut ? describe(e).slice(0, 1000) : isAbort(e) ? `${budget}; the solver stopped when ctx.signal fired` : `${budget}; then the solver threw: ${describe(e).slice(0, 300)}`;
    return { reply: { kind: 'failed', status: timedOut ? 'timeout' : 'error', message, timeMs, ...extras() }, transfer: [] };
  }
}
