// Tunable numbers of the scoring engine (clause multipliers, cue weights, urgency and confidence), kept apart from the code that applies them.

export const SCORING_PARAMETERS = {
  /** 但是 / but: the clause before the cue is worth less, the clause after it more. */
  contrastBefore: 0.6,
  contrastAfter: 1.5,
  /** 虽然 / although: the conceded clause is worth less, the rest of the sentence more. */
  concessionClause: 0.6,
  concessionRest: 1.5,
  /** 我投诉的是 / my complaint is about: everything to the end of the sentence. */
  focus: 2,
  /** 我不计较 / I understand: what the customer lets go of still counts a little. */
  acceptance: 0.3,
  /** 询问停电时 / when I called about the outage: the topic phoned about is context. */
  mention: 0.5,
  mentionReachHan: 24,
  mentionReachLatin: 40,
  hypothetical: 0.3,
  /** How far a post-negation (电费没有问题 / my bill is fine) reaches back within its clause. */
  postNegationReachHan: 10,
  postNegationReachWords: 5,
  /** A staff noun inside a focus span points at staff_attitude; a negated one ("not about him") away from it. */
  actorInFocus: 3,
  actorNegated: -3,
  /** Praised staff are not the complaint; capped so praise cannot cancel a real staff complaint. */
  praise: -2,
  praiseCap: -4,
  /** "Not helpful", "一点都不专业": praise negated is a complaint about staff. */
  negatedPraise: 2,
  /** Maximum gap (characters) that `…` spans in Chinese and in English phrases. */
  maxGapHan: 6,
  maxGapLatin: 24,
} as const;

export const URGENCY_PARAMETERS = {
  /** Urgent when the urgency score reaches this. */
  threshold: 2,
  /** A hospital, care home, school or whole community counts only when it is without power. */
  withoutPower: 2,
  /** Interruption evidence needed before "without power" is believed. */
  minimumOutageEvidence: 2,
  /** Past events (去年着过火) and hypotheticals weigh this much. */
  past: 0.3,
  calm: -2,
} as const;

export const CONFIDENCE_PARAMETERS = {
  /** Evidence needed for confidence to approach 1: 1 − e^(−score / scale). */
  evidenceScale: 3,
  /** Margin between the two best root causes at which dominance reaches ~0.84: 1 / (1 + e^(−margin / scale)). */
  marginScale: 1.2,
  /** Smooths the share of the winning subtype when evidence is thin. */
  shareSmoothing: 0.5,
  /** How much a split between subtypes lowers confidence. */
  subtypeShareWeight: 0.25,
  /** Confidence reported when nothing in the text points anywhere. */
  noEvidence: 0.1,
  /** Default for ClassifierOptions.reviewThreshold. */
  reviewThreshold: 0.6,
} as const;

/** How the lexicon engine and the learned text model are combined (see hybrid.ts). */
export const HYBRID_PARAMETERS = {
  /**
   * Nats of log-odds per lexicon point: the hybrid score of a class is lexiconWeight × lexicon score +
   * log P_model. At 0.5, one strong phrase (3 points, 1.5 nats) is about as much as a model 80% sure of another
   * root cause; a model decides alone where the lexicon found nothing. Chosen from {0.25, 0.35, 0.5, 0.7, 1, 2}
   * by the leave-one-batch-out figure with the lexicon ablated (see reports/classifier-evaluation.md): the
   * unablated lexicon is in-sample on every labelled complaint and would always ask for more lexicon weight.
   */
  lexiconWeight: 0.5,
  /** Floor on model probabilities before the log, so no class is ever ruled out by the model alone. */
  probabilityFloor: 0.001,
  /** The model's urgent head marks a complaint urgent on its own from this probability. */
  urgentModelThreshold: 0.8,
  /** Whether the model may only add urgency when the lexicon saw some urgency cue (off: it may always). */
  urgentModelNeedsCue: false,
  /** Confidence multiplier when the lexicon found nothing and the model decides alone. */
  modelOnly: 0.85,
  /** Confidence multiplier when lexicon and model pick different root causes / subtypes. */
  rootDisagreement: 0.7,
  subtypeDisagreement: 0.9,
} as const;
