import { Type, type Static } from '@sinclair/typebox';
import { TMatrix, TVector } from '../../schema/types.js';

/** The two tasks of the family: cumulative regret over a horizon, or best-arm identification on a pull budget. */
export const BanditVariant = Type.Union([Type.Literal('regret'), Type.Literal('best-arm')], {
  description: 'regret: play T rounds, scored by cumulative regret; best-arm: spend at most T pulls, then name one arm (paper 27), scored by its simple regret',
});
export type BanditVariant = Static<typeof BanditVariant>;

/** Generator parameters; defaults are the `quick` size of FAMILIES.md (K = 100, d = 50, k = 5, T = 2000, ε = 0.05). */
export const BanditParams = Type.Object(
  {
    variant: Type.Union(BanditVariant.anyOf, { default: 'regret', description: BanditVariant.description }),
    K: Type.Integer({ minimum: 1, default: 100, description: 'arms (feature vectors i.i.d. uniform on the unit sphere of R^d)' }),
    d: Type.Integer({ minimum: 1, default: 50, description: 'feature dimension' }),
    k: Type.Integer({ minimum: 1, default: 5, description: 'nonzeros of θ (‖θ‖₂ = 1)' }),
    T: Type.Integer({ minimum: 1, default: 2000, description: 'horizon (regret) or pull budget (best-arm)' }),
    epsilon: Type.Number({ minimum: 0, default: 0.05, description: 'misspecification level: |η_i| ≤ ε' }),
    misspecification: Type.Union([Type.Literal('adversarial'), Type.Literal('random')], {
      default: 'adversarial',
      description: 'adversarial (paper 27): η_i = ε·sign⟨u, a_i⟩ with u a dense unit vector off the support of θ, which biases least squares; random: η_i uniform in [-ε, ε]',
    }),
    noiseStd: Type.Number({ minimum: 0, default: 0.1, description: 'σ of the Gaussian reward noise' }),
    hints: Type.Boolean({ default: true, description: 'tell the solver k, ε and σ' }),
  },
  { additionalProperties: false },
);
export type BanditParams = Static<typeof BanditParams>;

/** What the solver sees: the arms and the horizon. Rewards come through the environment (`banditEnv(ctx, observation)`). */
export const BanditObservation = Type.Object(
  {
    variant: BanditVariant,
    arms: TMatrix({ description: 'arm features a_i, K x d (one arm per row)' }),
    horizon: Type.Integer({ minimum: 1, description: 'T: rounds to play (regret) or the pull budget (best-arm); pulls beyond it are refused' }),
    k: Type.Optional(Type.Integer({ minimum: 1, description: 'hint: nonzeros of θ' })),
    epsilon: Type.Optional(Type.Number({ minimum: 0, description: 'hint: bound on the misspecification |η_i|' })),
    noiseStd: Type.Optional(Type.Number({ minimum: 0, description: 'hint: σ of the reward noise' })),
  },
  { additionalProperties: false },
);
export type BanditObservation = Static<typeof BanditObservation>;

/** What only the scorer and the session see. Mean reward of arm i: μ_i = ⟨θ, a_i⟩ + η_i. */
export const BanditTruth = Type.Object(
  {
    theta: TVector({ description: 'θ, d entries, k-sparse, unit norm' }),
    eta: TVector({ description: 'misspecification η_i of every arm, K entries, |η_i| ≤ ε' }),
    noiseStd: Type.Number({ minimum: 0, description: 'σ' }),
    noiseKey: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'key of the reward noise: the j-th pull of arm i adds σ·hashNormal(key, i, j)' }),
  },
  { additionalProperties: false },
);
export type BanditTruth = Static<typeof BanditTruth>;

/** What a solver returns: nothing for the regret task (the session logs the pulls); the named arm for best-arm. */
export const BanditSolution = Type.Object(
  {
    arm: Type.Optional(Type.Integer({ minimum: 0, description: 'the recommended arm (required for best-arm; optional for regret)' })),
  },
  { additionalProperties: false },
);
export type BanditSolution = Static<typeof BanditSolution>;
