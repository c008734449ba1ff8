/** @parsimony/bench: the `parsimony` CLI and the programmatic registry loader. */
export { loadRegistry, type LoadedRegistry } from './registry.js';
export { listing, formatListing } from './commands/list.js';
export { buildProgram, main } from './cli.js';
