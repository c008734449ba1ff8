import type { MessagePort } from 'node:worker_threads';
import type { SeedPart, TracePoint } from '@parsimony/core';

/** Set once per worker (tinypool `workerData`): where the worker finds plugins. */
export interface WorkerSetup {
  /** Discovery starts here (node_modules and workspaces of it and its ancestors). */
  readonly cwd: string;
  /** Extra plugin package folders, loaded as well. */
  readonly pluginDirs: readonly string[];
  /** At most about twice this many trace points are kept per job. */
  readonly tracePoints: number;
  /** The run's solvers: their params validators are compiled before the first job (milliseconds each, else paid by the solver's first job). */
  readonly solvers?: readonly string[];
}

/** What crosses to the worker for one job: never the truth. */
export interface JobRequest {
  readonly key: string;
  readonly solver: string;
  readonly params: Record<string, unknown>;
  /** A private copy; its typed-array buffers are transferred. */
  readonly observation: unknown;
  readonly seed: readonly SeedPart[];
  readonly budgetMs: number;
}

/**
 * The one tinypool task a worker runs for its whole life: it serves jobs
 * sent on `port`, in order, one at a time, and keeps the port open, so the
 * port closing means the worker thread died. The parent keeps up to two
 * jobs queued per worker: the next one is already there when a solve ends,
 * and the handoff to and from the parent overlaps a solve.
 */
export interface ServeRequest {
  readonly serve: true;
  readonly port: MessagePort;
}

/** Parent to worker: run this job after the ones sent before it. */
export interface JobMessage {
  readonly type: 'job';
  /** The pool's number for the job, echoed in its reply and interact requests. */
  readonly seq: number;
  readonly request: JobRequest;
}

/** Worker to parent: the plugins are loaded; jobs start as they come. */
export interface ReadyMessage {
  readonly type: 'ready';
}

/** Worker to parent: how job `seq` ended; the next queued job has started. */
export interface ReplyMessage {
  readonly type: 'reply';
  readonly seq: number;
  readonly reply: JobReply;
}

/** Interactive families: a `ctx.interact` request of job `seq`, answered by its session in the parent. */
export interface InteractMessage {
  readonly type: 'interact';
  readonly seq: number;
  readonly id: number;
  readonly method: string;
  readonly args: readonly unknown[];
}

/** The parent's answer to an {@link InteractMessage}: a value, or the session's error. */
export interface AnswerMessage {
  readonly type: 'answer';
  readonly seq: number;
  readonly id: number;
  readonly value?: unknown;
  readonly error?: { readonly message: string; readonly code?: string; readonly field?: string };
}

/** Messages on a worker's port, each way. */
export type ToWorker = JobMessage | AnswerMessage;
export type FromWorker = ReadyMessage | ReplyMessage | InteractMessage;

interface ReplyBase {
  /** Wall time of the solve in the worker, ms. */
  readonly timeMs: number;
  /** Wall time of the whole job in the worker (checks, solve, packing the reply), ms. */
  readonly handlerMs: number;
  /** Downsampled, finite-only convergence trace. */
  readonly trace: TracePoint[];
  /** Peak growth of the worker's heap (V8 heap + external memory) during the solve, bytes (sampled). */
  readonly heapBytes: number;
}

/** The solver returned: the parent validates and scores the solution. */
export interface SolvedReply extends ReplyBase {
  readonly kind: 'solved';
  readonly solution: unknown;
}

/** The solver (or the input checks) threw, or the solution could not be sent back. */
export interface FailedReply extends ReplyBase {
  readonly kind: 'failed';
  /** `timeout`: the budget ran out and the solver stopped; `invalid`: the solution is not plain data; `skipped`: the solver does not apply (its `skip`). */
  readonly status: 'error' | 'timeout' | 'invalid' | 'skipped';
  readonly message: string;
}

export type JobReply = SolvedReply | FailedReply;
