// Shapes of the per-language rule tables (lexicon-zh.ts, lexicon-en.ts) that the scoring engine compiles.
import type { RootCause, Subtype } from './taxonomy';

/** Evidence points either at a subtype or, when a phrase says only "this is about staff", at a root cause. */
export type Target = Subtype | RootCause;

/**
 * Phrases grouped by weight. Syntax inside a phrase:
 * - `…` a short gap in the same clause (Chinese adverbs: 电压…低 matches 电压很低, 电压特别低);
 * - `*` at the end of an English word lets it take any ending (flicker* → flickers, flickering).
 */
export type WeightedPhrases = Readonly<Record<number, readonly string[]>>;

export type EvidenceTable = Readonly<Partial<Record<Target, WeightedPhrases>>>;

/** A structural rule that a phrase list cannot express (e.g. "staff told me X … it turned out Y"). */
export interface PatternRule {
  readonly label: string;
  readonly pattern: RegExp;
  readonly target: Target;
  readonly weight: number;
  /** A cheap pattern every match of `pattern` contains: the rule is skipped on texts without it (speed only). */
  readonly requires?: RegExp;
}

export interface CueTable {
  /** 但是 / but: the clause after the cue outweighs the one before it. */
  readonly contrast: readonly string[];
  /** 虽然 / although: the clause the cue opens is the concession, the rest of the sentence is the point. */
  readonly concession: readonly string[];
  /** 我投诉的是 / my complaint is about: what follows, to the end of the sentence, is the complaint. */
  readonly focus: readonly string[];
  /** 不是投诉 / not about: what follows, to the end of the clause, is explicitly not the complaint. */
  readonly dismissal: readonly string[];
  /** Negation words and how many characters (zh) or words (en) may stand between them and a phrase. */
  readonly negation: Readonly<Record<number, readonly string[]>>;
  /** 没有问题 / is fine: negates what came before it in the same clause. */
  readonly postNegation: readonly string[];
  /** 我不计较 / I understand: the customer lets go of what came before it in the sentence. */
  readonly acceptance: readonly string[];
  /** 询问 / called about: the topic a customer phoned about is context, not the complaint. */
  readonly mention: readonly string[];
  /** 停电时打电话: the clause before the cue names the occasion of a contact, not the complaint. */
  readonly occasion: readonly string[];
  /** 如果 / if: a hypothetical is not a report. */
  readonly hypothetical: readonly string[];
  /** 去年 / last year: past events do not make a complaint urgent. */
  readonly past: readonly string[];
  /** 态度很好 / polite: praised staff are not what the complaint is about. */
  readonly praise: readonly string[];
  /** Staff nouns; in a focus span they point at staff_attitude, in a negated span away from it. */
  readonly actors: readonly string[];
  /** Phrases that contain a cue but are not one (不但 is not 但, 客户来电 is not 来电). */
  readonly neutral: readonly string[];
}

export interface UrgencyTable {
  /** Downed or sparking lines, fire, smoke, shock risk, people trapped. */
  readonly safety: WeightedPhrases;
  /** Life-support or medical equipment at home. */
  readonly medical: WeightedPhrases;
  /** Hospitals, care homes, schools: urgent only when they are without power. */
  readonly institution: readonly string[];
  /** A whole village, estate or building: urgent only when it is without power. */
  readonly community: readonly string[];
  /** "Not an emergency": lowers the urgency score. */
  readonly calm: readonly string[];
  /**
   * Structural urgency rules a phrase list cannot express. `community` (many households) and `vulnerable` (people
   * or life-dependent equipment at risk while the power stays off: the elderly in the cold, backup power running out)
   * count only without power, like the lists above; `safety` (equipment in a hazardous state) and `medical`
   * (equipment a life depends on) count directly. Negation, past and hypothetical cues discount them as they
   * discount the phrases.
   */
  readonly patterns: readonly UrgencyRule[];
}

export interface UrgencyRule {
  readonly label: string;
  readonly pattern: RegExp;
  readonly kind: 'community' | 'vulnerable' | 'safety' | 'medical';
  /** Points for `safety` and `medical` rules (the others add the without-power points). */
  readonly weight?: number;
  /** A cheap pattern every match of `pattern` contains: the rule is skipped on texts without it (speed only). */
  readonly requires?: RegExp;
}

export interface LanguageLexicon {
  readonly language: 'zh' | 'en';
  readonly evidence: EvidenceTable;
  readonly patterns: readonly PatternRule[];
  readonly cues: CueTable;
  readonly urgency: UrgencyTable;
}
