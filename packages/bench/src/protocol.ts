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
  /** When the parent sent the job (epoch ms, `performance.timeOrigin + performance.now()`). */
  readonly dispatchedAt: number;
  /** Post `started` even when the job starts at once (the parent is unsure whether the worker is warm). */
  readonly announce: boolean;
  /**
   * The job's own channel. The worker posts `started` when the job did not
   * start at once (a fresh worker loaded plugins first), when it is the
   * worker's first job, or when asked to (`announce`); the hard timeout then
   * counts from that moment. The worker keeps the port open, so the port
   * closing before the reply means the worker thread died.
   */
  readonly port: MessagePort;
}

/** A job started late, or on a fresh worker (`first`). */
export interface StartedMessage {
  readonly type: 'started';
  readonly first: boolean;
  /** How long after dispatch the job started, ms. */
  readonly delayMs: number;
}

/** Interactive families: a `ctx.interact` request, answered by the session in the parent. */
export interface InteractMessage {
  readonly type: 'interact';
  readonly id: number;
  readonly method: string;
  readonly args: readonly unknown[];
}

/** The parent's answer to an {@link InteractMessage}: a value, or the session's error. */
export interface AnswerMessage {
  readonly type: 'answer';
  readonly id: number;
  readonly value?: unknown;
  readonly error?: { readonly message: string; readonly code?: string; readonly field?: string };
}

/** Messages the worker posts on the job's port. */
export type PortMessage = StartedMessage | InteractMessage;

/** A job that starts later than this after dispatch is announced with `started`. */
export const LATE_START_MS = 20;

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
