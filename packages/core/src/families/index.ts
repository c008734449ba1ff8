import type { Static } from '@sinclair/typebox';
import type { AnyFamily, Instance } from '../plugin/family.js';
import { assertValid } from '../schema/validate.js';
import { ParsimonyError } from '../schema/errors.js';
import { createRng, type SeedPart } from '../random/rng.js';
import { sparseRecovery } from './sparse-recovery/index.js';

export * as sparseRecoveryFamily from './sparse-recovery/index.js';
export { sparseRecovery } from './sparse-recovery/index.js';
export * from './sparse-recovery/schema.js';

/** Every family core defines, in a stable order. */
export const allFamilies: readonly AnyFamily[] = [sparseRecovery];

/** A family's generator params with schema defaults filled in; errors name the param. */
export function resolveFamilyParams<F extends AnyFamily>(family: F, raw: unknown = {}): Static<F['schemas']['params']> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ParsimonyError('PARSIMONY_BAD_PARAMS', `${family.id}: params must be a JSON object`, 'params');
  }
  try {
    return assertValid(family.schemas.params, structuredClone(raw), 'params', 'PARSIMONY_BAD_PARAMS');
  } catch (e) {
    if (e instanceof ParsimonyError) throw new ParsimonyError(e.code, `${family.id}: ${e.message}`, e.field);
    throw e;
  }
}

/**
 * Generates an instance reproducibly: the same (family, params, seed path)
 * gives the same instance bit for bit.
 *
 * @example
 * const { observation, truth } = generateInstance(sparseRecovery, { k: 5 }, [1]);
 */
export function generateInstance<F extends AnyFamily>(
  family: F,
  rawParams: unknown,
  seed: readonly SeedPart[],
): Instance<Static<F['schemas']['observation']>, Static<F['schemas']['truth']>> {
  const params = resolveFamilyParams(family, rawParams);
  return family.generate(params, createRng(...seed));
}
