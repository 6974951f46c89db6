// Public surface of complaint root-cause classification: decides rootCause, subtype, urgency and confidence from a complaint text.
import { DEFAULT_POWER_QUALITY_LIMITS, type PowerQualityLimits } from './power-quality-limits';
import { scoreComplaint } from './scoring-engine';
import { CONFIDENCE_PARAMETERS } from './scoring-parameters';
import type { RootCause, Subtype } from './taxonomy';

export type { RootCause, Subtype, PowerQualitySubtype, StaffAttitudeSubtype, OtherSubtype } from './taxonomy';
export { SUBTYPES_BY_ROOT_CAUSE, ROOT_CAUSES, ALL_SUBTYPES, rootCauseOf } from './taxonomy';
export { DEFAULT_POWER_QUALITY_LIMITS } from './power-quality-limits';
export type { PowerQualityLimits, VoltageBand } from './power-quality-limits';

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
}

export const DEFAULT_REVIEW_THRESHOLD = CONFIDENCE_PARAMETERS.reviewThreshold;

export function classify(text: string, options: ClassifierOptions = {}): Classification {
  const reviewThreshold = options.reviewThreshold ?? DEFAULT_REVIEW_THRESHOLD;
  if (!(reviewThreshold >= 0 && reviewThreshold <= 1)) {
    throw new RangeError(`reviewThreshold must be within [0, 1], got ${reviewThreshold}`);
  }
  const scored = scoreComplaint(text, options.powerQualityLimits ?? DEFAULT_POWER_QUALITY_LIMITS);
  return {
    rootCause: scored.rootCause,
    subtype: scored.subtype,
    urgent: scored.urgent,
    confidence: scored.confidence,
    needsReview: scored.confidence < reviewThreshold,
    reasons: scored.reasons,
    language: scored.language,
  };
}
