import { existsSync, readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ParsimonyError, Type, assertValid, resolveFamilyParams, type AnyFamily, type Static } from '@parsimony/core';

const KEBAB = '^[a-z0-9]+(?:-[a-z0-9]+)*$';

/** Solver ids to run: one glob (`baselines/*`) or a list of them. `*` matches any characters. */
export const SolverPatternSchema = Type.Union([Type.String({ minLength: 1 }), Type.Array(Type.String({ minLength: 1 }), { minItems: 1 })], {
  description: "glob(s) over solver ids, e.g. '*' or 'baselines/*'",
});

/** Seeds: an explicit list, or a count n meaning 0..n-1. */
export const SeedsSchema = Type.Union([Type.Array(Type.Integer({ minimum: 0 }), { minItems: 1 }), Type.Integer({ minimum: 1 })], {
  description: 'a list of non-negative integers, or a count n meaning [0, ..., n-1]',
});

/**
 * One line of a suite: a family, its generator params (a named preset of the
 * family and/or explicit params), the seeds, the per-job budget, which solvers
 * and optional solver parameter grids.
 */
export const TaskSpecSchema = Type.Object(
  {
    family: Type.String({ minLength: 1, description: "family id, or '*' for every registered family" }),
    name: Type.Optional(Type.String({ pattern: KEBAB, description: "task name; the task id is '<family>/<name>' (default: the preset)" })),
    preset: Type.Optional(
      Type.Union([Type.Literal('quick'), Type.Literal('default'), Type.Literal('scale')], {
        description: "the family's presets.quick/default, or its presets.scale ladder (one task per rung: '<name>-1', '<name>-2', ...)",
      }),
    ),
    params: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'generator params, over the preset' })),
    seeds: Type.Optional(SeedsSchema),
    budgetMs: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'per-job time budget in ms' })),
    solvers: Type.Optional(SolverPatternSchema),
    grid: Type.Optional(
      Type.Record(Type.String(), Type.Record(Type.String(), Type.Array(Type.Unknown(), { minItems: 1 })), {
        description: "solver id (or glob) -> param -> values; the solver runs on every combination (first matching key wins)",
      }),
    ),
    primary: Type.Optional(
      Type.String({
        minLength: 1,
        description: "the metric this task ranks by, when the family's primary does not tell the solvers apart here (e.g. every solver recovers every atom); one of the family's metric ids",
      }),
    ),
  },
  { additionalProperties: false },
);
export type TaskSpec = Static<typeof TaskSpecSchema>;

/** A suite file. */
export const SuiteSchema = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    name: Type.String({ pattern: KEBAB, description: 'kebab-case; part of every seed path' }),
    description: Type.Optional(Type.String()),
    defaults: Type.Optional(
      Type.Object(
        { seeds: Type.Optional(SeedsSchema), budgetMs: Type.Optional(Type.Number({ exclusiveMinimum: 0 })), solvers: Type.Optional(SolverPatternSchema) },
        { additionalProperties: false },
      ),
    ),
    tasks: Type.Array(TaskSpecSchema, { minItems: 1 }),
  },
  { additionalProperties: false },
);
export type Suite = Static<typeof SuiteSchema>;

/** A suite as loaded: the validated content and where it came from. */
export interface LoadedSuite {
  readonly suite: Suite;
  /** `builtin:quick` or the file's absolute path. */
  readonly source: string;
}

/** A task with everything resolved: the unit a job refers to. */
export interface Task {
  /** `<family>/<name>`, e.g. `sparse-recovery/quick`. */
  readonly id: string;
  readonly family: string;
  /** Generator params with the family's defaults filled in. */
  readonly params: Record<string, unknown>;
  /** The numeric generator params (for cost-vs-size plots). */
  readonly size: Record<string, number>;
  readonly seeds: readonly number[];
  readonly budgetMs: number;
  readonly solvers: readonly string[];
  readonly grid: Readonly<Record<string, Record<string, readonly unknown[]>>>;
  /** The metric the task ranks by when it is not the family's primary. */
  readonly primary?: string;
}

/** Budget of a job when neither the task nor the suite sets one. */
export const DEFAULT_BUDGET_MS = 10_000;

/** The folder of the built-in suites (`packages/bench/suites`). */
export const BUILTIN_SUITES_DIR = fileURLToPath(new URL('../suites/', import.meta.url));

/** Names of the built-in suites. */
export const BUILTIN_SUITES = ['quick', 'default', 'scale'] as const;

/**
 * Validates suite JSON (already parsed). Errors name the field, e.g.
 * `suite.tasks[1].seeds must be >= 0 (got -1)`.
 */
export function parseSuite(raw: unknown, where = 'suite'): Suite {
  try {
    return assertValid(SuiteSchema, structuredClone(raw), 'suite', 'PARSIMONY_BAD_INPUT');
  } catch (e) {
    if (e instanceof ParsimonyError && where !== 'suite') throw new ParsimonyError(e.code, `${where}: ${e.message}`, e.field);
    throw e;
  }
}

/**
 * Loads a suite: a built-in name (`quick`, `default`, `scale`) or a path to
 * a JSON file.
 *
 * @example
 * loadSuite('quick').suite.tasks[0] // => { family: '*', preset: 'quick' }
 */
export function loadSuite(nameOrFile: string): LoadedSuite {
  const builtin = (BUILTIN_SUITES as readonly string[]).includes(nameOrFile);
  const file = builtin ? resolve(BUILTIN_SUITES_DIR, `${nameOrFile}.json`) : resolve(nameOrFile);
  if (!existsSync(file)) {
    throw new ParsimonyError('PARSIMONY_BAD_INPUT', `suite '${nameOrFile}' is neither a built-in suite (${BUILTIN_SUITES.join(', ')}) nor a file`, 'suite');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ParsimonyError('PARSIMONY_BAD_INPUT', `${basename(file)}: not valid JSON (${(e as Error).message})`, 'suite');
  }
  return { suite: parseSuite(raw, builtin ? `suite '${nameOrFile}'` : file), source: builtin ? `builtin:${nameOrFile}` : file };
}

function seedList(seeds: Static<typeof SeedsSchema>): number[] {
  return typeof seeds === 'number' ? Array.from({ length: seeds }, (_, i) => i) : [...new Set(seeds)];
}

function patterns(p: string | readonly string[] | undefined): string[] {
  return p === undefined ? ['*'] : typeof p === 'string' ? [p] : [...p];
}

function numericParams(params: Record<string, unknown>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(params)) if (typeof v === 'number' && Number.isFinite(v)) out[k] = v;
  return out;
}

/**
 * Expands a suite into tasks: `family: '*'` becomes one task per family, a
 * `scale` preset one task per rung; params are checked against the family's
 * params schema. `families` keeps only tasks of those families. Errors name
 * the suite field, e.g. `suite.tasks[2].family: unknown family 'nope'`.
 */
export function expandTasks(suite: Suite, registered: readonly AnyFamily[], families?: readonly string[]): Task[] {
  const byId = new Map(registered.map((f) => [f.id, f]));
  for (const id of families ?? []) {
    if (!byId.has(id)) {
      throw new ParsimonyError('PARSIMONY_UNKNOWN_FAMILY', `--families: unknown family '${id}'; known families: ${[...byId.keys()].join(', ') || '(none)'}`, 'families');
    }
  }
  const tasks: Task[] = [];
  const seen = new Map<string, string>();
  suite.tasks.forEach((spec, i) => {
    const at = `suite.tasks[${i}]`;
    let targets: AnyFamily[];
    if (spec.family === '*') targets = [...registered];
    else {
      const f = byId.get(spec.family);
      if (!f) {
        throw new ParsimonyError('PARSIMONY_UNKNOWN_FAMILY', `${at}.family: unknown family '${spec.family}'; known families: ${[...byId.keys()].join(', ') || '(none)'}`, `${at}.family`);
      }
      targets = [f];
    }
    const name = spec.name ?? spec.preset;
    if (!name) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `${at} needs a 'name' (or a 'preset', which names the task)`, `${at}.name`);
    const seeds = seedList(spec.seeds ?? suite.defaults?.seeds ?? [0]);
    const budgetMs = spec.budgetMs ?? suite.defaults?.budgetMs ?? DEFAULT_BUDGET_MS;
    const solvers = patterns(spec.solvers ?? suite.defaults?.solvers);
    for (const family of targets) {
      if (families && !families.includes(family.id)) continue;
      const rungs: { suffix: string; preset: Record<string, unknown> }[] =
        spec.preset === 'scale'
          ? family.presets.scale.map((p: Record<string, unknown>, r: number) => ({ suffix: `-${r + 1}`, preset: p }))
          : [{ suffix: '', preset: spec.preset ? (family.presets[spec.preset] as Record<string, unknown>) : {} }];
      if (spec.primary !== undefined && !family.metrics.some((m) => m.id === spec.primary)) {
        throw new ParsimonyError('PARSIMONY_BAD_INPUT', `${at}.primary: family '${family.id}' has no metric '${spec.primary}'; its metrics: ${family.metrics.map((m) => m.id).join(', ')}`, `${at}.primary`);
      }
      for (const rung of rungs) {
        const id = `${family.id}/${name}${rung.suffix}`;
        if (seen.has(id)) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `${at}: task id '${id}' is already defined by ${seen.get(id)}; give this task another 'name'`, `${at}.name`);
        seen.set(id, at);
        let params: Record<string, unknown>;
        try {
          params = resolveFamilyParams(family, { ...rung.preset, ...spec.params }) as Record<string, unknown>;
        } catch (e) {
          if (e instanceof ParsimonyError) throw new ParsimonyError(e.code, `${at} (${id}): ${e.message}`, `${at}.${e.field ?? 'params'}`);
          throw e;
        }
        tasks.push({ id, family: family.id, params, size: numericParams(params), seeds, budgetMs, solvers, grid: spec.grid ?? {}, ...(spec.primary !== undefined && { primary: spec.primary }) });
      }
    }
  });
  return tasks;
}
