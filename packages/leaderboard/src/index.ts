/**
 * @parsimony/leaderboard: bench result directories -> a static HTML site
 * (handlebars templates, SVG plots rendered at build time). It reads results
 * only through the record and manifest schemas of @parsimony/core.
 */
export { buildSite, SITE_MARKER, TEMPLATES_DIR, type BuildOptions, type BuildResult } from './build.js';
export { main, type CliIo } from './cli.js';
export { readRunResults, findRunDirs, type RunResults } from './results.js';
export {
  aggregateEntries,
  buildLeaderboard,
  latestManifest,
  rankEntries,
  solverMedian,
  summarizeTask,
  type Entry,
  type Failure,
  type FamilyInfo,
  type Leaderboard,
  type PluginInfo,
  type SolverInfo,
  type TaskSummary,
} from './model.js';
export { evaluateClaims, evaluateTaskClaim, type ClaimResult } from './claims.js';
export { familyProfile, familyScale, paretoFront, profileCurve, type FamilyProfile, type FamilyScale, type ProfileRow, type ScalePoint, type ScaleRow } from './analysis.js';
export { convergenceSpec, paretoSpec, profileSpec, renderSvg, scaleSpec } from './plots.js';
export { fitPowerLaw, summarize, type PowerFit, type Stat } from './stats.js';
export { fileSlug, safeHttpUrl } from './paths.js';
