// Public surface of complaint root-cause classification: decides rootCause, subtype, urgency and confidence from a complaint text.
import { DEFAULT_POWER_QUALITY_LIMITS, type PowerQualityLimits } from './power-quality-limits';
import { combine } from './hybrid';
import { scoreComplaint } from './scoring-engine';
import { CONFIDENCE_PARAMETERS } from './scoring-parameters';
import { SHIPPED_TEXT_MODEL } from './shipped-model';
import type { RootCause, Subtype } from './taxonomy';
import type { TextModel } from './text-model';

export type { RootCause, Subtype, PowerQualitySubtype, StaffAttitudeSubtype, OtherSubtype } from './taxonomy';
export { SUBTYPES_BY_ROOT_CAUSE, ROOT_CAUSES, ALL_SUBTYPES, rootCauseOf } from './taxonomy';
export { DEFAULT_POWER_QUALITY_LIMITS } from './power-quality-limits';
export type { PowerQualityLimits, VoltageBand } from './power-quality-limits';
export { TextModel, trainTextModel, type TextModelWeights, type TrainingExample } from './text-model';
export { modelDecision } from './hybrid';
export { SHIPPED_TEXT_MODEL } from './shipped-model';
export { normaliseComplaint } from './text-normaliser';

export interface Classification {
  rootCause: RootCause;
  subtype: Subtype;
  urgent: boolean;
  /** 0–1: how clearly the text points at this root cause and subtype. */
  confidence: number;
  /** True when confidence is below the review threshold: a person should confirm the routing. */
  needsReview: boolean;
  /** The phrases and rules that decided it, readable by an operations person; the first line is the decision. */
  reasons: string[];
  language: 'zh-Hans' | 'zh-Hant' | 'en' | 'mixed';
}

export interface ClassifierOptions {
  /** Confidence below this sets needsReview (default 0.6). */
  reviewThreshold?: number;
  /** Power-quality limits for judging quoted values (default: GB/T 12325 and companions). */
  powerQualityLimits?: PowerQualityLimits;
  /**
   * The learned text model blended with the lexicon (default: the shipped model trained on all labelled
   * complaints). `null` gives the lexicon engine alone; evaluation passes models trained on folds.
   */
  textModel?: TextModel | null;
}

export const DEFAULT_REVIEW_THRESHOLD = CONFIDENCE_PARAMETERS.reviewThreshold;

export function classify(text: string, options: ClassifierOptions = {}): Classification {
  const reviewThreshold = options.reviewThreshold ?? DEFAULT_REVIEW_THRESHOLD;
  if (!(reviewThreshold >= 0 && reviewThreshold <= 1)) {
    throw new RangeError(`reviewThreshold must be within [0, 1], got ${reviewThreshold}`);
  }
  const scored = scoreComplaint(text, options.powerQualityLimits ?? DEFAULT_POWER_QUALITY_LIMITS);
  const model = options.textModel === undefined ? SHIPPED_TEXT_MODEL : options.textModel;
  const decision = model ? combine(scored, model, model.predict(scored.normalisedText)) : scored;
  return {
    rootCause: decision.rootCause,
    subtype: decision.subtype,
    urgent: decision.urgent,
    confidence: decision.confidence,
    needsReview: decision.confidence < reviewThreshold,
    reasons: decision.reasons,
    language: scored.language,
  };
}
