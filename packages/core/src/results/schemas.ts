import { Type, type Static } from '@sinclair/typebox';
import { checkValid } from '../schema/validate.js';

/** How a job ended: `skipped` when the solver does not apply to the task (its `skip`), which is not a failure. */
export const JobStatusSchema = Type.Union([Type.Literal('ok'), Type.Literal('invalid'), Type.Literal('error'), Type.Literal('timeout'), Type.Literal('skipped')]);
export type JobStatus = Static<typeof JobStatusSchema>;

const TracePointSchema = Type.Record(Type.String(), Type.Number());

/**
 * One line of `results.jsonl`: one solver on one (task, seed), with its
 * status, metrics when scored, cost, and a downsampled convergence trace.
 */
export const ResultRecordSchema = Type.Object(
  {
    /** Stable key of the job: task, seed, solver and grid point; used by resume and merge. */
    job: Type.String({ minLength: 1 }),
    task: Type.String({ minLength: 1 }),
    family: Type.String({ minLength: 1 }),
    seed: Type.Integer({ minimum: 0 }),
    solver: Type.String({ minLength: 1 }),
    plugin: Type.String({ minLength: 1 }),
    params: Type.Record(Type.String(), Type.Unknown()),
    status: JobStatusSchema,
    /** Why the job is not `ok` (the validation message, the error, the budget). */
    reason: Type.Optional(Type.String()),
    metrics: Type.Optional(Type.Record(Type.String(), Type.Number())),
    time_ms: Type.Number({ minimum: 0 }),
    /** Peak heap growth of the worker during the job, bytes. */
    memory_bytes: Type.Optional(Type.Number({ minimum: 0 })),
    /** Instance size parameters, for cost-vs-size plots. */
    size: Type.Optional(Type.Record(Type.String(), Type.Number())),
    trace: Type.Optional(Type.Array(TracePointSchema)),
    /** Fingerprint of the instance (observation and truth), equal across machines for the same (suite, task, seed). */
    instance_hash: Type.Optional(Type.String()),
    finished_at: Type.String({ description: 'ISO 8601' }),
  },
  { additionalProperties: false },
);
export type ResultRecord = Static<typeof ResultRecordSchema>;

/** `manifest.json` of a run: what ran, on what, with which versions. */
export const RunManifestSchema = Type.Object(
  {
    run_id: Type.String({ minLength: 1 }),
    suite: Type.Object(
      {
        name: Type.String(),
        hash: Type.String(),
        primary: Type.Optional(
          Type.Record(Type.String(), Type.String(), { description: "task id -> the metric the task ranks by, for tasks that rank by another than their family's primary" }),
        ),
      },
      { additionalProperties: true },
    ),
    created_at: Type.String(),
    git_sha: Type.Optional(Type.String()),
    node: Type.String(),
    platform: Type.String(),
    cpu: Type.Object({ model: Type.String(), cores: Type.Integer() }),
    packages: Type.Record(Type.String(), Type.String(), { description: 'package name -> version' }),
    shard: Type.Optional(Type.Object({ index: Type.Integer({ minimum: 1 }), count: Type.Integer({ minimum: 1 }) })),
    families: Type.Optional(
      Type.Array(
        Type.Object({
          id: Type.String(),
          title: Type.String(),
          /** One sentence: what is recovered from what (the family's `summary`). */
          summary: Type.Optional(Type.String()),
          metrics: Type.Array(
            Type.Object({
              id: Type.String(),
              label: Type.String(),
              direction: Type.Union([Type.Literal('min'), Type.Literal('max')]),
              primary: Type.Optional(Type.Boolean()),
              unit: Type.Optional(Type.String()),
              description: Type.Optional(Type.String()),
            }),
          ),
        }),
      ),
    ),
    plugins: Type.Optional(Type.Array(Type.Unknown(), { description: 'plugin manifests (name, paper, solvers, claims)' })),
    /** Run ids this run was merged from (`parsimony bench merge`), in the order given. */
    merged_from: Type.Optional(Type.Array(Type.String())),
  },
  { additionalProperties: false },
);
export type RunManifest = Static<typeof RunManifestSchema>;

/**
 * Parses `results.jsonl` text. Lines that do not parse or validate (a torn
 * last line after a crash) are skipped and counted, never fatal.
 */
export function parseResultLines(text: string): { records: ResultRecord[]; skipped: { line: number; reason: string }[] } {
  const records: ResultRecord[] = [];
  const skipped: { line: number; reason: string }[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      skipped.push({ line: i + 1, reason: 'not valid JSON (torn line?)' });
      continue;
    }
    const problem = checkValid(ResultRecordSchema, value, 'record');
    if (problem) skipped.push({ line: i + 1, reason: problem.message });
    else records.push(value as ResultRecord);
  }
  return { records, skipped };
}
