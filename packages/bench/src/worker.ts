/**
 * The bench worker (run by tinypool from dist/worker.js). It loads the
 * plugin registry once, then for each job: resolves the solver, checks the
 * params (the parent checked the observation when it generated it), runs the solver with core's SolveService context
 * (seeded RNG, budget signal, trace sink) and sends back the raw solution,
 * its time, a downsampled trace and the heap growth. It never sees the
 * truth and never scores: the parent does both.
 */
import { getHeapStatistics } from 'node:v8';
import { types } from 'node:util';
import { Tinypool, markMovable } from 'tinypool';
import { ParsimonyError, resolveParams, skipReason, solveService, solverById, type ParsimonyErrorCode, type TracePoint } from '@parsimony/core';
import { loadRegistry, type LoadedRegistry } from './registry.js';
import { TraceSampler } from './trace.js';
import { LATE_START_MS, type AnswerMessage, type FailedReply, type JobReply, type JobRequest, type PortMessage, type WorkerSetup } from './protocol.js';

const setup = (Tinypool.workerData ?? { cwd: process.cwd(), pluginDirs: [], tracePoints: 100 }) as WorkerSetup;

let registry: Promise<LoadedRegistry> | undefined;
function getRegistry(): Promise<LoadedRegistry> {
  registry ??= loadRegistry({ cwd: setup.cwd, pluginDirs: setup.pluginDirs });
  return registry;
}
// Start loading now, while the parent prepares the first job; a failure surfaces in that job.
getRegistry().catch(() => undefined);

/** Jobs (and pings) this worker has taken; the first is announced to the parent. */
let taken = 0;

/**
 * Job ports stay referenced until the parent closes them, so a port is
 * never garbage-collected (and closed) early: to the parent, a port that
 * closes before the reply means this thread died.
 */
const openPorts = new Set<JobRequest['port']>();

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

/** The distinct transferable buffers of the typed arrays in a (plain-data) value. */
function buffersOf(value: unknown, out = new Set<ArrayBuffer>()): Set<ArrayBuffer> {
  if (ArrayBuffer.isView(value)) {
    if (value.buffer instanceof ArrayBuffer) out.add(value.buffer);
  } else if (Array.isArray(value)) for (const v of value) buffersOf(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) buffersOf(v, out);
  return out;
}

/** Wraps a reply so tinypool transfers (moves) the buffers instead of copying them. */
function movable(value: JobReply, transfer: ArrayBuffer[]): unknown {
  if (transfer.length === 0) return value;
  const wrapper = { [Tinypool.transferableSymbol]: transfer, [Tinypool.valueSymbol]: value };
  markMovable(wrapper);
  return wrapper;
}

/**
 * `ctx.interact` for interactive families: each request goes to the parent,
 * where the instance's session answers it (arguments and answers are
 * copied, never transferred, so neither side loses a buffer it keeps). A
 * session error comes back as the ParsimonyError it was.
 */
function interactOver(port: JobRequest['port']): { interact: (method: string, args: readonly unknown[]) => Promise<unknown>; close: () => void } {
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let next = 0;
  const onMessage = (m: AnswerMessage) => {
    const p = pending.get(m.id);
    if (m.type !== 'answer' || !p) return;
    pending.delete(m.id);
    if (m.error) p.reject(new ParsimonyError((m.error.code ?? 'PARSIMONY_BAD_INPUT') as ParsimonyErrorCode, m.error.message, m.error.field));
    else p.resolve(m.value);
  };
  port.on('message', onMessage);
  return {
    interact: (method, args) =>
      new Promise((resolve, reject) => {
        const id = next++;
        pending.set(id, { resolve, reject });
        try {
          port.postMessage({ type: 'interact', id, method, args: [...args] } satisfies PortMessage);
        } catch (e) {
          pending.delete(id);
          reject(e instanceof Error ? e : new Error(String(e)));
        }
      }),
    close: () => port.off('message', onMessage),
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

/** Runs one job; see the module comment. The default export is tinypool's handler. */
export default async function runJob(req: JobRequest | { ping: true }): Promise<unknown> {
  const entered = performance.now();
  const first = taken++ === 0;
  const reg = await getRegistry();
  if ('ping' in req) return { pong: true };
  const port = req.port;
  openPorts.add(port);
  port.once('close', () => openPorts.delete(port));
  const delayMs = performance.timeOrigin + performance.now() - req.dispatchedAt;
  if (first || req.announce || delayMs > LATE_START_MS) port.postMessage({ type: 'started', first, delayMs } satisfies PortMessage);

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
  let reply: unknown;
  let channel: ReturnType<typeof interactOver> | undefined;
  try {
    const { solver } = solverById(reg.container, req.solver);
    // The observation was checked against its family once, in the parent, when the instance was generated.
    const params = resolveParams(solver, req.params);
    // A solver that does not handle this variant is not run: the job is skipped, not failed.
    const skipped = skipReason(solver, req.observation as never, params);
    if (skipped !== undefined) {
      const reply: FailedReply = { kind: 'failed', status: 'skipped', message: skipped.slice(0, 1000), timeMs: 0, ...extras() };
      return reply;
    }
    const budget = new AbortController();
    if (solver.family.interaction) channel = interactOver(port);
    const { ctx, dispose } = solveService(reg.container).context({ seed: req.seed, budgetMs: req.budgetMs, signal: budget.signal, trace: sink, interact: channel?.interact });
    // Core's context checks the deadline whenever the signal is polled, so synchronous solvers stop on time too.
    signal = ctx.signal;
    t0 = performance.now();
    let solution: unknown;
    try {
      solution = await solver.solve(req.observation, params, ctx);
    } finally {
      dispose();
    }
    const timeMs = performance.now() - t0;
    sample();
    const problem = notPlainData(solution, 'solution');
    if (problem) {
      const failed: FailedReply = { kind: 'failed', status: 'invalid', message: `the solution is not plain data: ${problem}; return objects, arrays, numbers and typed arrays`, timeMs, ...extras() };
      reply = failed;
    } else reply = movable({ kind: 'solved', solution, timeMs, ...extras() }, [...buffersOf(solution)]);
  } catch (e) {
    const timeMs = performance.now() - t0;
    sample();
    const timedOut = signal?.aborted === true || isAbort(e);
    const budget = `time budget of ${req.budgetMs} ms exhausted`;
    const message = !timedOut ? describe(e).slice(0, 1000) : isAbort(e) ? `${budget}; the solver stopped when ctx.signal fired` : `${budget}; then the solver threw: ${describe(e).slice(0, 300)}`;
    const failed: FailedReply = { kind: 'failed', status: timedOut ? 'timeout' : 'error', message, timeMs, ...extras() };
    reply = failed;
  } finally {
    channel?.close();
  }
  return reply;
}
