/** Test helpers for plugin authors: `import { describeSolverConformance } from '@parsimony/core/testing'`. */
export { describeSolverConformance, conformanceChecks, type ConformanceCheck, type ConformanceOptions } from './conformance.js';
