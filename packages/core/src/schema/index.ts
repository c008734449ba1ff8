export { ParsimonyError, isParsimonyError, type ParsimonyErrorCode } from './errors.js';
export { TVector, TIntVector, TMatrix, ARRAY_KEYWORD, toFileJsonSchema, type ArrayKind } from './types.js';
export { ajv, assertValid, checkValid, describeAjvError, precompile } from './validate.js';
export { decode, encode } from './decode.js';
