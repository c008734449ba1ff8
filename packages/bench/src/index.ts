/** @parsimony/bench: the `parsimony` CLI, the suite runner and the results store. */
export { loadRegistry, type LoadedRegistry, type RegistryOptions } from './registry.js';
export { listing, formatListing } from './commands/list.js';
export { buildProgram, main, type Io } from './cli.js';
export { runSuite, planRun, type RunSuiteOptions, type RunSuiteResult, type RunStartInfo, type JobInfo, type PlannedRun } from './runner.js';
export { mergeRuns, type MergeResult } from './merge.js';
export {
  SuiteSchema,
  TaskSpecSchema,
  BUILTIN_SUITES,
  BUILTIN_SUITES_DIR,
  DEFAULT_BUDGET_MS,
  loadSuite,
  parseSuite,
  expandTasks,
  type Suite,
  type TaskSpec,
  type Task,
  type LoadedSuite,
} from './suite.js';
export { expandJobs, shardJobs, parseShard, jobKey, gridPoints, globToRegExp, suiteHash, type Job, type Shard } from './jobs.js';
export { instanceSeed, solverSeed, instanceHash, InstanceCache } from './instances.js';
export { ResultStore, readResults, RESULTS_FILE, type StoredResults } from './store.js';
export { buildManifest, readManifest, writeManifest, incompatibility, makeRunId, MANIFEST_FILE } from './manifest.js';
export { summarize, formatSummary, median, type TaskSummary } from './summary.js';
export { TraceSampler, sanitizePoint } from './trace.js';
