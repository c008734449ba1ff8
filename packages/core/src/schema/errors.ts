/** Machine-readable error codes; the message always says what to fix. */
export type ParsimonyErrorCode =
  | 'PARSIMONY_BAD_PARAMS'
  | 'PARSIMONY_BAD_OBSERVATION'
  | 'PARSIMONY_BAD_SOLUTION'
  | 'PARSIMONY_BAD_TRUTH'
  | 'PARSIMONY_BAD_MANIFEST'
  | 'PARSIMONY_BAD_INPUT'
  | 'PARSIMONY_DUPLICATE_SOLVER'
  | 'PARSIMONY_UNKNOWN_FAMILY'
  | 'PARSIMONY_UNKNOWN_SOLVER'
  | 'PARSIMONY_ABORTED'
  /** The solver does not apply to this observation (a variant it does not handle): see `Solver.skip`. */
  | 'PARSIMONY_UNSUPPORTED';

/**
 * The one error type Parsimony throws on bad input. `field` is the dotted
 * path of the offending value (`params.k`, `observation.A.data[17]`) when
 * there is one, so a CLI can print a single clear line.
 */
export class ParsimonyError extends Error {
  override readonly name = 'ParsimonyError';

  constructor(
    readonly code: ParsimonyErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** True for errors Parsimony raised on purpose (bad input), as opposed to bugs. */
export function isParsimonyError(e: unknown): e is ParsimonyError {
  return e instanceof ParsimonyError;
}
