/**
 * @parsimony/core: problem families, solver and plugin contracts, the DI
 * registry, plugin discovery, numerics, and the result schemas shared by the
 * bench and the leaderboard.
 */
import 'reflect-metadata';

export * from './schema/index.js';
export * from './random/index.js';
export * from './linalg/index.js';
export * from './io/index.js';
export * from './results/index.js';
export * from './families/index.js';
export * from './nn/index.js';

export {
  defineFamily,
  primaryMetric,
  scoreSolution,
  type AnyFamily,
  type Family,
  type FamilyPresets,
  type Instance,
  type Interaction,
  type InteractionSession,
  type MetricSpec,
  type ObservationOf,
  type ParamsOf,
  type ScoreOutcome,
  type SolutionOf,
  type TruthOf,
} from './plugin/family.js';
export { defineSolver, resolveParams, skipReason, NoParams, type AnySolver, type ParamsSchema, type Solver, type SolverContext, type TracePoint } from './plugin/solver.js';
export { definePlugin, validatePlugin, manifestOf, ManifestSchema, PaperSchema, type Manifest, type Paper, type Plugin } from './plugin/plugin.js';
export { ClaimSchema, evaluateClaim, type Claim, type ClaimVerdict } from './plugin/claims.js';
export { ClockToken, FamilyToken, LinalgBackendToken, RngFactoryToken, solversToken, type Clock } from './plugin/tokens.js';
export {
  allSolvers,
  createRegistry,
  familiesIn,
  familyById,
  pluginsIn,
  registerFamily,
  registerPlugin,
  solverById,
  solversFor,
  type RegisteredPlugin,
  type RegisteredSolver,
  type SolverOrigin,
} from './plugin/registry.js';
export { SolveService, solveService, assertObservation, checkSolution, checkDeadlineOnRead, type SolveOptions, type SolveResult } from './plugin/run.js';
export {
  discoverPlugins,
  findPluginPackages,
  loadPluginPackage,
  resolveEntry,
  type BrokenPlugin,
  type DiscoveryOptions,
  type LoadedPlugin,
  type PluginCandidate,
} from './plugin/discovery.js';
export type { DependencyContainer } from 'tsyringe';
// Schema builders, re-exported so plugins depend on @parsimony/core alone.
export { Type, type Static, type TSchema, type TObject } from '@sinclair/typebox';
