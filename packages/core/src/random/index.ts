export { Rng, createRng, type RngFactory, type SeedPart } from './rng.js';
export { Xoshiro256, SplitMix64, toUnitDouble } from './xoshiro256.js';
export { gaussianMatrix, haarOrthogonal } from './matrices.js';
