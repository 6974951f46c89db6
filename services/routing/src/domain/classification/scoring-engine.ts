// Scores a normalised complaint against the compiled lexicon tables: clause weighting (focus, contrast, negation), measured values, urgency, confidence.
import { EN_LEXICON } from './lexicon-en';
import type { LanguageLexicon, Target, WeightedPhrases } from './lexicon-types';
import { ZH_LEXICON } from './lexicon-zh';
import { readMeasuredValues } from './measured-values';
import type { PowerQualityLimits } from './power-quality-limits';
import { PhraseMatcher, type PhraseHit } from './phrase-matcher';
import { CONFIDENCE_PARAMETERS, SCORING_PARAMETERS, URGENCY_PARAMETERS } from './scoring-parameters';
import {
  FALLBACK_SUBTYPE,
  ROOT_CAUSES,
  SUBTYPES_BY_ROOT_CAUSE,
  isRootCause,
  rootCauseOf,
  type RootCause,
  type Subtype,
} from './taxonomy';
import { normaliseComplaint, normalisePhrase, type DetectedLanguage } from './text-normaliser';

type Language = 'zh' | 'en';

type CueKind =
  | 'contrast'
  | 'concession'
  | 'focus'
  | 'dismissal'
  | 'postNegation'
  | 'acceptance'
  | 'mention'
  | 'occasion'
  | 'hypothetical'
  | 'past'
  | 'praise'
  | 'actor'
  | 'neutral'
  | 'institution'
  | 'community'
  | 'calm';

type EntryCore =
  | {
      readonly kind: 'evidence';
      readonly language: Language;
      readonly phrase: string;
      readonly target: Target;
      readonly weight: number;
    }
  | {
      readonly kind: 'negation';
      readonly language: Language;
      readonly phrase: string;
      readonly maxGap: number;
    }
  | {
      readonly kind: 'urgency';
      readonly language: Language;
      readonly phrase: string;
      readonly category: 'safety' | 'medical';
      readonly weight: number;
    }
  | { readonly kind: CueKind; readonly language: Language; readonly phrase: string };

/** Strings the scoring needs for every hit of an entry, built once when the tables are compiled. */
interface EntryText {
  /** Identifies the entry for ablation studies (kind, language, phrase). */
  readonly key: string;
  /** The phrase in quotes, as reasons show it. */
  readonly quoted: string;
  /** Evidence only: one count per phrase and target (`phrase|target`), and the reason's label and target. */
  readonly evidenceKey: string;
  readonly label: string;
  readonly targetLabel: string;
}

type Entry = EntryCore & EntryText;

type Hit = PhraseHit<Entry>;

export interface ScoredComplaint {
  readonly rootCause: RootCause;
  readonly subtype: Subtype;
  readonly urgent: boolean;
  readonly confidence: number;
  readonly reasons: string[];
  readonly language: DetectedLanguage;
  readonly rootScores: Readonly<Record<RootCause, number>>;
  /** Lexicon evidence per subtype (subtypes without evidence are absent). */
  readonly subtypeScores: ReadonlyMap<Subtype, number>;
  /** Whether any lexicon phrase, rule or measured value pointed at a root cause. */
  readonly hasEvidence: boolean;
  /** The urgency score compared with URGENCY_PARAMETERS.threshold. */
  readonly urgencyScore: number;
  /**
   * Whether the text discounted an urgency cue itself (negated, past, hypothetical, "not an emergency"): the text
   * model's urgent head then may not add urgency on its own.
   */
  readonly urgencyDiscounted?: boolean;
  /** The normalised text the lexicon read (the text model reads the same form). */
  readonly normalisedText: string;
}

// ---------------------------------------------------------------------------------------------
// Compilation (once, at module load)

function compileEntries(lexicon: LanguageLexicon): { phrase: string; payload: Entry }[] {
  const language = lexicon.language;
  const entries: { phrase: string; payload: Entry }[] = [];
  const norm = (phrase: string): string =>
    language === 'zh'
      ? phrase
          .split('…')
          .map((piece) => normalisePhrase(piece))
          .join('…')
      : phrase.toLowerCase();
  const add = (phrase: string, core: EntryCore): void => {
    entries.push({ phrase: norm(phrase), payload: withText(core) });
  };
  const addWeighted = (table: WeightedPhrases, make: (phrase: string, weight: number) => EntryCore): void => {
    for (const [weight, phrases] of Object.entries(table)) {
      for (const phrase of phrases) add(phrase, make(norm(phrase), Number(weight)));
    }
  };
  for (const [target, table] of Object.entries(lexicon.evidence) as [Target, WeightedPhrases][]) {
    addWeighted(table, (phrase, weight) => ({ kind: 'evidence', language, phrase, target, weight }));
  }
  for (const [gap, phrases] of Object.entries(lexicon.cues.negation)) {
    for (const phrase of phrases)
      add(phrase, { kind: 'negation', language, phrase: norm(phrase), maxGap: Number(gap) });
  }
  const cueKinds: readonly [CueKind, readonly string[]][] = [
    ['contrast', lexicon.cues.contrast],
    ['concession', lexicon.cues.concession],
    ['focus', lexicon.cues.focus],
    ['dismissal', lexicon.cues.dismissal],
    ['postNegation', lexicon.cues.postNegation],
    ['acceptance', lexicon.cues.acceptance],
    ['mention', lexicon.cues.mention],
    ['occasion', lexicon.cues.occasion],
    ['hypothetical', lexicon.cues.hypothetical],
    ['past', lexicon.cues.past],
    ['praise', lexicon.cues.praise],
    ['actor', lexicon.cues.actors],
    ['neutral', lexicon.cues.neutral],
    ['institution', lexicon.urgency.institution],
    ['community', lexicon.urgency.community],
    ['calm', lexicon.urgency.calm],
  ];
  for (const [kind, phrases] of cueKinds) {
    for (const phrase of phrases) add(phrase, { kind, language, phrase: norm(phrase) });
  }
  addWeighted(lexicon.urgency.safety, (phrase, weight) => ({
    kind: 'urgency',
    language,
    phrase,
    category: 'safety',
    weight,
  }));
  addWeighted(lexicon.urgency.medical, (phrase, weight) => ({
    kind: 'urgency',
    language,
    phrase,
    category: 'medical',
    weight,
  }));
  return entries;
}

/**
 * Every entry gets the same fields in the same order, whatever its kind (absent ones null), so V8 gives them one
 * hidden class and the hot loops' property reads stay monomorphic.
 */
function withText(core: EntryCore): Entry {
  const quoted = `"${core.phrase}"`;
  const evidence = core.kind === 'evidence';
  const entry = {
    kind: core.kind,
    language: core.language,
    phrase: core.phrase,
    target: evidence ? core.target : null,
    weight: core.kind === 'evidence' || core.kind === 'urgency' ? core.weight : 0,
    maxGap: core.kind === 'negation' ? core.maxGap : 0,
    category: core.kind === 'urgency' ? core.category : null,
    key: `${core.kind}:${core.language}:${core.phrase}`,
    quoted,
    evidenceKey: evidence ? `${core.phrase}|${core.target}` : '',
    label: evidence ? `lexicon:${core.language} ${quoted}` : '',
    targetLabel: evidence ? targetLabel(core.target) : '',
  };
  return entry as Entry;
}

const LEXICONS: readonly LanguageLexicon[] = [ZH_LEXICON, EN_LEXICON];

const MATCHER = new PhraseMatcher<Entry>(LEXICONS.flatMap(compileEntries), {
  maxGapHan: SCORING_PARAMETERS.maxGapHan,
  maxGapLatin: SCORING_PARAMETERS.maxGapLatin,
  gapStoppers: '。！？!?；;，,、:：\n()（）',
});

const TIE_BREAK_ORDER: readonly RootCause[] = ['staff_attitude', 'power_quality', 'other'];

// ---------------------------------------------------------------------------------------------
// Text structure: sentences and clauses

/** Per UTF-16 code unit: 1 ends a clause, 2 ends a sentence, 3 is a full stop that ends one only outside numbers. */
const BREAK_KIND = new Uint8Array(0x10000);
for (const ch of ',，、:：()（）—–') BREAK_KIND[ch.charCodeAt(0)] = 1;
for (const ch of '。！？!?；;\n') BREAK_KIND[ch.charCodeAt(0)] = 2;
BREAK_KIND['.'.charCodeAt(0)] = 3;

interface Structure {
  readonly sentenceOf: Int32Array;
  readonly clauseOf: Int32Array;
  readonly sentenceStart: number[];
  readonly sentenceEnd: number[];
  readonly clauseEnd: number[];
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** "3.5 kV" and "e.g." do not end a sentence; ". " and ".<end>" do. */
function isFullStop(text: string, i: number): boolean {
  const after = text.charCodeAt(i + 1);
  if (Number.isNaN(after)) return true;
  if (isDigit(text.charCodeAt(i - 1)) && isDigit(after)) return false;
  return (
    after === 32 ||
    after === 10 ||
    after === 34 ||
    after === 39 ||
    after === 41 ||
    after === 0x201d ||
    after >= 0x3000
  );
}

/**
 * Scratch buffers reused by every reading (classification is synchronous, so one reading is alive at a time):
 * allocating typed arrays per complaint cost more than filling them. Each grows to the longest text seen; only the
 * first n (+ 1) slots of a reading are ever read.
 */
const scratch = {
  sentenceOf: new Int32Array(256),
  clauseOf: new Int32Array(256),
  weightAt: new Float64Array(257),
  focusAt: new Uint8Array(257),
  mentionAt: new Uint8Array(257),
  softenedAt: new Float64Array(257),
};

function ensureScratch(n: number): void {
  if (scratch.sentenceOf.length >= n) return;
  let size = scratch.sentenceOf.length;
  while (size < n) size *= 2;
  scratch.sentenceOf = new Int32Array(size);
  scratch.clauseOf = new Int32Array(size);
  scratch.weightAt = new Float64Array(size + 1);
  scratch.focusAt = new Uint8Array(size + 1);
  scratch.mentionAt = new Uint8Array(size + 1);
  scratch.softenedAt = new Float64Array(size + 1);
}

function analyseStructure(text: string): Structure {
  const n = text.length;
  ensureScratch(n);
  const sentenceOf = scratch.sentenceOf;
  const clauseOf = scratch.clauseOf;
  const sentenceStart = [0];
  const sentenceEnd: number[] = [];
  const clauseEnd: number[] = [];
  let sentence = 0;
  let clause = 0;
  for (let i = 0; i < n; i++) {
    sentenceOf[i] = sentence;
    clauseOf[i] = clause;
    const kind = BREAK_KIND[text.charCodeAt(i)];
    if (kind === 0) continue;
    const endsSentence = kind === 2 || (kind === 3 && isFullStop(text, i));
    if (kind === 3 && !endsSentence) continue;
    clauseEnd.push(i + 1);
    clause++;
    if (endsSentence) {
      sentenceEnd.push(i + 1);
      sentenceStart.push(i + 1);
      sentence++;
    }
  }
  clauseEnd.push(n);
  sentenceEnd.push(n);
  return { sentenceOf, clauseOf, sentenceStart, sentenceEnd, clauseEnd };
}

// ---------------------------------------------------------------------------------------------
// Hit resolution

function span(hit: Hit): number {
  return hit.end - hit.start;
}

/**
 * Keeps the most specific reading: a phrase inside a longer literal phrase is dropped (态度 inside 态度很好),
 * a gapped phrase is dropped when another phrase fills its gap (电压…低 across 电压忽高忽低), and a phrase inside
 * a kept gapped phrase is not counted twice.
 */
function resolveOverlaps(hits: readonly Hit[]): Hit[] {
  // Plain loops over the few hits of one complaint (the same tests, in the same order, as the filters they replace).
  const keptLiteral: Hit[] = [];
  for (const h of hits) {
    if (h.gap !== null) continue;
    let inside = false;
    for (const o of hits) {
      if (o.gap === null && o !== h && o.start <= h.start && o.end >= h.end && span(o) > span(h)) {
        inside = true;
        break;
      }
    }
    if (!inside) keptLiteral.push(h);
  }
  const keptGapped: Hit[] = [];
  for (const h of hits) {
    const gap = h.gap;
    if (gap === null) continue;
    let filled = false;
    for (const o of keptLiteral) {
      if (
        o.payload.kind === 'evidence' &&
        ((o.start < gap[1] && o.end > gap[0]) || (o.start <= h.start && o.end >= h.end))
      ) {
        filled = true;
        break;
      }
    }
    if (!filled) keptGapped.push(h);
  }
  const kept: Hit[] = [];
  for (const h of keptLiteral) {
    const kind = h.payload.kind;
    // A neutral gapped phrase (不是…是什么, a rhetorical question) swallows the cues inside it.
    if (kind === 'neutral') continue;
    let drop = false;
    for (const g of keptGapped) {
      const gKind = g.payload.kind;
      if (
        kind === 'evidence'
          ? gKind === 'evidence' && g.start <= h.start && g.end >= h.end && span(g) > span(h)
          : gKind === 'neutral' && g.start <= h.start && g.end >= h.end
      ) {
        drop = true;
        break;
      }
    }
    if (!drop) kept.push(h);
  }
  for (const h of keptGapped) {
    const kind = h.payload.kind;
    if (kind === 'neutral') continue;
    let drop = false;
    if (kind !== 'evidence') {
      for (const g of keptGapped) {
        if (g.payload.kind === 'neutral' && g.start <= h.start && g.end >= h.end) {
          drop = true;
          break;
        }
      }
    }
    if (!drop) kept.push(h);
  }
  return kept.sort((a, b) => a.start - b.start);
}

function wordsBetween(text: string, from: number, to: number): number {
  return text.slice(from, to).match(/[a-z0-9']+/g)?.length ?? 0;
}

// ---------------------------------------------------------------------------------------------
// Scoring

interface Contribution {
  readonly target: Target;
  readonly value: number;
  readonly reason: string;
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

function quote(entry: Entry): string {
  return entry.quoted;
}

function targetLabel(target: Target): string {
  return isRootCause(target) ? target : `${rootCauseOf(target)}/${target}`;
}

/** One complaint being read: its text structure, the phrases found, and how much each offset counts. */
/**
 * Hits of one complaint are grouped by entry kind: one array slot per kind instead of a Map keyed by strings. The
 * slots are an object literal (not built with Object.fromEntries) so V8 keeps it a constant with fast properties.
 */
const KIND_SLOT: Readonly<Record<Entry['kind'], number>> = {
  evidence: 0,
  negation: 1,
  urgency: 2,
  contrast: 3,
  concession: 4,
  focus: 5,
  dismissal: 6,
  postNegation: 7,
  acceptance: 8,
  mention: 9,
  occasion: 10,
  hypothetical: 11,
  past: 12,
  praise: 13,
  actor: 14,
  neutral: 15,
  institution: 16,
  community: 17,
  calm: 18,
};
const KIND_COUNT = Object.keys(KIND_SLOT).length;

class ComplaintReading {
  readonly n: number;
  readonly structure: Structure;
  private readonly hits: (Hit[] | undefined)[] = new Array<Hit[] | undefined>(KIND_COUNT);
  /** Multiplier for a phrase found at each offset (contrast, focus, acceptance, hypotheticals). */
  readonly weightAt: Float64Array;
  readonly focusAt: Uint8Array;
  readonly mentionAt: Uint8Array;
  /** Hypotheticals also soften urgency cues. */
  readonly softenedAt: Float64Array;
  readonly cueReasons: string[] = [];

  /** Which languages' structural rules are worth running on this text. */
  private readonly zh: boolean;
  private readonly en: boolean;

  constructor(
    readonly text: string,
    readonly excluded: ReadonlySet<string> | null = null,
  ) {
    this.n = text.length;
    this.zh = HAN_CHARACTER.test(text);
    this.en = LATIN_WORD.test(text);
    this.structure = analyseStructure(text);
    const found = MATCHER.match(text);
    const kept = excluded ? found.filter((hit) => !excluded.has(hit.payload.key)) : found;
    for (const hit of resolveOverlaps(kept)) {
      const slot = KIND_SLOT[hit.payload.kind];
      const bucket = this.hits[slot];
      if (bucket) bucket.push(hit);
      else this.hits[slot] = [hit];
    }
    const end = this.n + 1;
    this.weightAt = scratch.weightAt.fill(1, 0, end);
    this.focusAt = scratch.focusAt.fill(0, 0, end);
    this.mentionAt = scratch.mentionAt.fill(0, 0, end);
    this.softenedAt = scratch.softenedAt.fill(1, 0, end);
    this.applyClauseCues();
  }

  has(language: Language): boolean {
    return language === 'zh' ? this.zh : this.en;
  }

  of(kind: Entry['kind']): readonly Hit[] {
    return this.hits[KIND_SLOT[kind]] ?? NO_HITS;
  }

  private at(i: number): number {
    return Math.min(Math.max(i, 0), this.n - 1);
  }

  clauseOf(i: number): number {
    return this.structure.clauseOf[this.at(i)];
  }

  sentenceOf(i: number): number {
    return this.structure.sentenceOf[this.at(i)];
  }

  private clauseStart(i: number): number {
    const clause = this.clauseOf(i);
    return clause === 0 ? 0 : this.structure.clauseEnd[clause - 1];
  }

  private clauseEnd(i: number): number {
    return this.structure.clauseEnd[this.clauseOf(i)];
  }

  private scale(from: number, to: number, factor: number): void {
    const end = Math.min(to, this.n);
    for (let i = Math.max(0, from); i < end; i++) this.weightAt[i] *= factor;
  }

  /** Turns contrast, concession, focus, acceptance, mention and hypothetical cues into offset weights. */
  private applyClauseCues(): void {
    const p = SCORING_PARAMETERS;
    const { sentenceStart, sentenceEnd } = this.structure;
    for (const hit of this.of('contrast')) {
      const s = this.sentenceOf(hit.start);
      const opensSentence = this.text.slice(sentenceStart[s], hit.start).trim().length === 0;
      this.scale(
        opensSentence ? 0 : sentenceStart[s],
        opensSentence ? sentenceStart[s] : hit.start,
        p.contrastBefore,
      );
      this.scale(hit.end, sentenceEnd[s], p.contrastAfter);
      this.cueReasons.push(`contrast: "${hit.payload.phrase}" shifts weight to the clause after it`);
    }
    for (const hit of this.of('concession')) {
      const clauseEnd = this.clauseEnd(hit.start);
      this.scale(hit.start, clauseEnd, p.concessionClause);
      this.scale(clauseEnd, sentenceEnd[this.sentenceOf(hit.start)], p.concessionRest);
      this.cueReasons.push(`concession: "${hit.payload.phrase}" — the point follows the conceded clause`);
    }
    for (const hit of this.of('focus')) {
      const end = sentenceEnd[this.sentenceOf(hit.start)];
      this.scale(hit.end, end, p.focus);
      this.focusAt.fill(1, hit.end, end);
      this.cueReasons.push(`focus: "${hit.payload.phrase}…"`);
    }
    for (const hit of this.of('acceptance')) {
      this.scale(sentenceStart[this.sentenceOf(hit.start)], hit.end, p.acceptance);
      this.cueReasons.push(`accepted: "${hit.payload.phrase}" — what precedes it is not pressed`);
    }
    for (const hit of this.of('mention')) {
      const reach = hit.payload.language === 'zh' ? p.mentionReachHan : p.mentionReachLatin;
      this.mentionAt.fill(1, hit.end, Math.min(this.clauseEnd(hit.start), hit.end + reach));
    }
    for (const hit of this.of('occasion')) this.mentionAt.fill(1, this.clauseStart(hit.start), hit.start);
    for (const hit of this.of('hypothetical')) {
      const end = sentenceEnd[this.sentenceOf(hit.start)];
      this.scale(hit.end, end, p.hypothetical);
      this.softenedAt.fill(URGENCY_PARAMETERS.past, hit.end, end);
    }
  }

  /** The cue that negates the phrase at this hit, if any: a negation word just before it, a dismissal earlier in
   * its clause, or a post-negation (没有问题 / is fine) just after it. */
  negatedBy(hit: Hit): Hit | undefined {
    const clause = this.clauseOf(hit.start);
    for (const neg of this.of('negation')) {
      if (neg.payload.kind !== 'negation' || neg.end > hit.start || this.clauseOf(neg.start) !== clause)
        continue;
      const gap =
        neg.payload.language === 'zh' ? hit.start - neg.end : wordsBetween(this.text, neg.end, hit.start);
      if (gap <= neg.payload.maxGap) return neg;
    }
    for (const d of this.of('dismissal')) {
      if (d.end <= hit.start && this.clauseOf(d.start) === clause) return d;
    }
    for (const post of this.of('postNegation')) {
      if (post.start < hit.end || this.clauseOf(post.start) !== clause) continue;
      const zh = post.payload.language === 'zh';
      const gap = zh ? post.start - hit.end : wordsBetween(this.text, hit.end, post.start);
      if (gap <= (zh ? SCORING_PARAMETERS.postNegationReachHan : SCORING_PARAMETERS.postNegationReachWords))
        return post;
    }
    return undefined;
  }

  /** Whether a phrase here only names what the customer phoned about (never true for staff evidence or enquiries). */
  isMentionOnly(at: number, target: Target): boolean {
    if (this.mentionAt[at] !== 1) return false;
    const root = isRootCause(target) ? target : rootCauseOf(target);
    return root !== 'staff_attitude' && target !== 'inquiry';
  }
}

const NO_HITS: readonly Hit[] = [];
const NO_NOTES: readonly string[] = [];
const FOCUS_ONLY: readonly string[] = ['focus'];
const MENTION_ONLY: readonly string[] = ['mention only'];
const FOCUS_AND_MENTION: readonly string[] = ['focus', 'mention only'];
const HAN_CHARACTER = /[\u3400-\u9fff]/;
const LATIN_WORD = /[a-z]{2}/;

function modifierNote(factor: number, notes: readonly string[]): string {
  if (Math.abs(factor - 1) < 1e-9) return '';
  return ` ×${factor.toFixed(2)}${notes.length ? ` ${notes.join(', ')}` : ''}`;
}

/** Lexicon phrases, staff nouns, praise, structural rules and measured values, as weighted contributions. */
function collectEvidence(
  reading: ComplaintReading,
  limits: PowerQualityLimits,
): { contributions: Contribution[]; reasons: string[] } {
  const reasons: string[] = [];
  const best = new Map<string, Contribution>();
  const negatedPhrases = new Set<string>();
  for (const hit of reading.of('evidence')) {
    const entry = hit.payload;
    if (entry.kind !== 'evidence') continue;
    // One count per phrase and target, even when zh and en tables share it (app) or it repeats.
    const key = entry.evidenceKey;
    const label = entry.label;
    const negation = reading.negatedBy(hit);
    if (negation) {
      if (!negatedPhrases.has(key)) {
        negatedPhrases.add(key);
        reasons.push(`negated: "${negation.payload.phrase}" … ${label} → ${entry.targetLabel} (0)`);
      }
      continue;
    }
    const mentioned = reading.isMentionOnly(hit.start, entry.target);
    const factor = reading.weightAt[hit.start] * (mentioned ? SCORING_PARAMETERS.mention : 1);
    const value = entry.weight * factor;
    const previous = best.get(key);
    if (!previous || previous.value < value) {
      const notes = reading.focusAt[hit.start]
        ? mentioned
          ? FOCUS_AND_MENTION
          : FOCUS_ONLY
        : mentioned
          ? MENTION_ONLY
          : NO_NOTES;
      best.set(key, {
        target: entry.target,
        value,
        reason: `${label} → ${entry.targetLabel} (+${formatNumber(entry.weight)}${modifierNote(factor, notes)})`,
      });
    }
  }
  const contributions = [...best.values()];

  // Staff named in the focus span point at staff conduct; staff explicitly excused point away from it.
  let actorFocus = false;
  let actorExcused = false;
  for (const hit of reading.of('actor')) {
    const negation = reading.negatedBy(hit);
    if (negation && !actorExcused) {
      actorExcused = true;
      contributions.push({
        target: 'staff_attitude',
        value: SCORING_PARAMETERS.actorNegated,
        reason: `negated: "${negation.payload.phrase}" … ${hit.payload.quoted} — staff are not the complaint (${SCORING_PARAMETERS.actorNegated})`,
      });
    } else if (!negation && reading.focusAt[hit.start] && !actorFocus) {
      actorFocus = true;
      contributions.push({
        target: 'staff_attitude',
        value: SCORING_PARAMETERS.actorInFocus,
        reason: `focus names staff: ${hit.payload.quoted} → staff_attitude (+${SCORING_PARAMETERS.actorInFocus})`,
      });
    }
  }
  let praise = 0;
  for (const hit of reading.of('praise')) {
    const negation = reading.negatedBy(hit);
    if (negation) {
      // "not polite" is a complaint; "no complaints about the polite engineer" is not.
      if (negation.payload.kind === 'negation') {
        contributions.push({
          target: 'staff_attitude',
          value: SCORING_PARAMETERS.negatedPraise,
          reason: `negated praise: "${negation.payload.phrase}" … ${hit.payload.quoted} → staff_attitude (+${SCORING_PARAMETERS.negatedPraise})`,
        });
      }
      continue;
    }
    const value = Math.max(
      SCORING_PARAMETERS.praiseCap - praise,
      SCORING_PARAMETERS.praise * reading.weightAt[hit.start],
    );
    if (value >= 0) continue;
    praise += value;
    contributions.push({
      target: 'staff_attitude',
      value,
      reason: `praise: ${hit.payload.quoted} → staff_attitude (${formatNumber(value)})`,
    });
  }

  for (const lexicon of LEXICONS) {
    if (!reading.has(lexicon.language)) continue;
    for (const rule of lexicon.patterns) {
      if (reading.excluded?.has(ruleKey(lexicon.language, rule.label))) continue;
      if (rule.requires && !rule.requires.test(reading.text)) continue;
      rule.pattern.lastIndex = 0;
      const m = rule.pattern.exec(reading.text);
      if (!m) continue;
      const factor = reading.weightAt[m.index];
      contributions.push({
        target: rule.target,
        value: rule.weight * factor,
        reason: `rule:${lexicon.language} ${rule.label} → ${targetLabel(rule.target)} (+${formatNumber(rule.weight)}${modifierNote(factor, [])})`,
      });
    }
  }

  for (const finding of readMeasuredValues(reading.text, limits)) {
    if (finding.subtype === null) {
      reasons.push(finding.reason);
      continue;
    }
    const factor = reading.weightAt[finding.at];
    contributions.push({
      target: finding.subtype,
      value: finding.weight * factor,
      reason: `${finding.reason} (+${formatNumber(finding.weight)}${modifierNote(factor, [])})`,
    });
  }
  return { contributions, reasons };
}

/** Safety hazards and medical equipment count directly; institutions and whole communities only without power. */
function scoreUrgency(
  reading: ComplaintReading,
  outageEvidence: number,
): { score: number; reasons: string[]; discounted: boolean } {
  const reasons: string[] = [];
  let score = 0;
  // Whether some urgency cue was negated, past, hypothetical or calmed: the text itself says it is not urgent.
  let discounted = false;
  const seen = new Set<string>();
  for (const hit of reading.of('urgency')) {
    const entry = hit.payload;
    if (entry.kind !== 'urgency' || seen.has(entry.phrase)) continue;
    seen.add(entry.phrase);
    const negation = reading.negatedBy(hit);
    if (negation) {
      discounted = true;
      reasons.push(`negated: "${negation.payload.phrase}" … ${quote(entry)} — not an urgency cue`);
      continue;
    }
    const factor = softening(reading, hit.start);
    if (factor < 1) discounted = true;
    score += entry.weight * factor;
    reasons.push(
      `urgency:${entry.language} ${quote(entry)} ${entry.category === 'safety' ? 'safety hazard' : 'medical equipment'} (+${formatNumber(entry.weight)}${factor < 1 ? ` ×${factor} past or hypothetical` : ''})`,
    );
  }
  // Structural rules: equipment in a hazardous state, medical equipment (each counted once per language).
  for (const lexicon of LEXICONS) {
    if (!reading.has(lexicon.language)) continue;
    for (const rule of lexicon.urgency.patterns) {
      if (rule.kind !== 'safety' && rule.kind !== 'medical') continue;
      if (reading.excluded?.has(ruleKey(lexicon.language, rule.label))) continue;
      if (rule.requires && !rule.requires.test(reading.text)) continue;
      rule.pattern.lastIndex = 0;
      const m = rule.pattern.exec(reading.text);
      if (!m) continue;
      const negation = reading.negatedBy(spanHit(m.index, m.index + m[0].length));
      if (negation) {
        discounted = true;
        reasons.push(`negated: "${negation.payload.phrase}" … ${rule.label} "${m[0]}" — not an urgency cue`);
        continue;
      }
      const weight = rule.weight ?? URGENCY_PARAMETERS.withoutPower;
      const factor = softening(reading, m.index);
      if (factor < 1) discounted = true;
      score += weight * factor;
      reasons.push(
        `urgency:${lexicon.language} ${rule.label} "${m[0]}" (+${formatNumber(weight)}${factor < 1 ? ` ×${factor} past or hypothetical` : ''})`,
      );
    }
  }
  const withoutPower = outageEvidence >= URGENCY_PARAMETERS.minimumOutageEvidence;
  if (withoutPower) {
    for (const kind of ['institution', 'community'] as const) {
      const hit = reading.of(kind).find((h) => !reading.negatedBy(h));
      if (!hit) continue;
      score += URGENCY_PARAMETERS.withoutPower;
      reasons.push(
        `urgency: ${quote(hit.payload)} ${kind === 'institution' ? 'institution' : 'whole community'} without power (+${URGENCY_PARAMETERS.withoutPower})`,
      );
    }
    const community = reading.of('community').length === 0 ? ruleWithoutPower(reading, 'community') : null;
    if (community !== null) {
      score += URGENCY_PARAMETERS.withoutPower;
      reasons.push(`urgency: ${community} without power (+${URGENCY_PARAMETERS.withoutPower})`);
    }
    // Elderly, infants or the sick in extreme cold or heat, or for a long time, without power.
    const vulnerable = ruleWithoutPower(reading, 'vulnerable');
    if (vulnerable !== null) {
      score += URGENCY_PARAMETERS.withoutPower;
      reasons.push(`urgency: ${vulnerable} without power (+${URGENCY_PARAMETERS.withoutPower})`);
    }
  }
  for (const hit of reading.of('calm')) {
    if (reading.negatedBy(hit)) continue;
    discounted = true;
    score += URGENCY_PARAMETERS.calm;
    reasons.push(`calm: ${quote(hit.payload)} (${URGENCY_PARAMETERS.calm})`);
  }
  return { score, reasons, discounted };
}

/** Past events (去年着过火) and hypotheticals weigh less. */
function softening(reading: ComplaintReading, at: number): number {
  const sentence = reading.sentenceOf(at);
  const inPast = reading.of('past').some((p) => p.start < at && reading.sentenceOf(p.start) === sentence);
  return Math.min(reading.softenedAt[at], inPast ? URGENCY_PARAMETERS.past : 1);
}

/** The first community or vulnerable-person rule that matches (not negated), as a reason fragment. */
function ruleWithoutPower(reading: ComplaintReading, kind: 'community' | 'vulnerable'): string | null {
  for (const lexicon of LEXICONS) {
    if (!reading.has(lexicon.language)) continue;
    for (const rule of lexicon.urgency.patterns) {
      if (rule.kind !== kind || reading.excluded?.has(ruleKey(lexicon.language, rule.label))) continue;
      if (rule.requires && !rule.requires.test(reading.text)) continue;
      rule.pattern.lastIndex = 0;
      const m = rule.pattern.exec(reading.text);
      if (!m) continue;
      if (kind === 'vulnerable' && reading.negatedBy(spanHit(m.index, m.index + m[0].length))) continue;
      return `${rule.label} "${m[0]}"`;
    }
  }
  return null;
}

/** A span found by a rule, read like a phrase hit (negation looks only at where it starts and ends). */
function spanHit(start: number, end: number): Hit {
  return { start, end, gap: null, payload: SPAN_ENTRY };
}

const SPAN_ENTRY = withText({ kind: 'neutral', language: 'en', phrase: '' });

/** Confidence: enough evidence × a clear lead over the next root cause × a clear lead between subtypes. */
function confidenceOf(top: number, second: number, bestSubtype: number, runnerUpSubtype: number): number {
  const c = CONFIDENCE_PARAMETERS;
  if (top <= 0) return c.noEvidence;
  const evidence = 1 - Math.exp(-top / c.evidenceScale);
  const dominance = 1 / (1 + Math.exp(-(top - second) / c.marginScale));
  const subtypeShare =
    bestSubtype > 0 ? bestSubtype / (bestSubtype + runnerUpSubtype + c.shareSmoothing) : 0.5;
  const confidence = evidence * dominance * (1 - c.subtypeShareWeight + c.subtypeShareWeight * subtypeShare);
  return Math.round(Math.min(1, Math.max(0, confidence)) * 1000) / 1000;
}

/** Identifies one lexicon entry (kind, language, phrase) for ablation studies. */
function entryKey(entry: Entry): string {
  return entry.key;
}

function ruleKey(language: Language, label: string): string {
  return `rule:${language}:${label}`;
}

/**
 * Every lexicon entry and pattern rule that fires on a complaint (before overlaps are resolved). Evaluation uses
 * it to ablate the entries that only complaints outside the training folds exercise.
 */
export function lexiconEntriesUsed(raw: string): Set<string> {
  const { text } = normaliseComplaint(raw);
  const used = new Set<string>(MATCHER.match(text).map((hit) => entryKey(hit.payload)));
  for (const lexicon of LEXICONS) {
    for (const rule of [...lexicon.patterns, ...lexicon.urgency.patterns]) {
      rule.pattern.lastIndex = 0;
      if (rule.pattern.test(text)) used.add(ruleKey(lexicon.language, rule.label));
    }
  }
  return used;
}

/**
 * Scores a complaint with the lexicon tables. `excluded` (evaluation only) lists entries to ignore, as keyed by
 * lexiconEntriesUsed.
 */
export function scoreComplaint(
  raw: string,
  limits: PowerQualityLimits,
  excluded: ReadonlySet<string> | null = null,
): ScoredComplaint {
  const { text, language } = normaliseComplaint(raw);
  const reading = new ComplaintReading(text, excluded);
  const { contributions, reasons } = collectEvidence(reading, limits);

  const subtypeScore = new Map<Subtype, number>();
  const rootScore: Record<RootCause, number> = { power_quality: 0, staff_attitude: 0, other: 0 };
  for (const c of contributions) {
    if (isRootCause(c.target)) rootScore[c.target] += c.value;
    else {
      subtypeScore.set(c.target, (subtypeScore.get(c.target) ?? 0) + c.value);
      rootScore[rootCauseOf(c.target)] += c.value;
    }
  }
  for (const root of ROOT_CAUSES) rootScore[root] = Math.max(0, rootScore[root]);

  // Ties go to staff conduct, then power quality: a staff-behaviour phrase is rarely incidental, whereas the
  // outage or bill a customer phoned about often is.
  const ranked = [...TIE_BREAK_ORDER].sort((a, b) => rootScore[b] - rootScore[a]);
  const top = rootScore[ranked[0]];
  const rootCause: RootCause = top > 0 ? ranked[0] : 'other';
  const subtypes = SUBTYPES_BY_ROOT_CAUSE[rootCause]
    .map((subtype) => [subtype, subtypeScore.get(subtype) ?? 0] as const)
    .sort((a, b) => b[1] - a[1]);
  const [bestSubtype, bestSubtypeScore] = subtypes[0];
  const subtype: Subtype = bestSubtypeScore > 0 ? bestSubtype : FALLBACK_SUBTYPE[rootCause];
  const confidence = confidenceOf(top, rootScore[ranked[1]], bestSubtypeScore, Math.max(0, subtypes[1][1]));

  const urgency = scoreUrgency(reading, subtypeScore.get('interruption') ?? 0);
  const urgent = urgency.score >= URGENCY_PARAMETERS.threshold;

  return {
    rootCause,
    subtype,
    urgent,
    confidence,
    language,
    rootScores: rootScore,
    subtypeScores: subtypeScore,
    hasEvidence: top > 0,
    urgencyScore: urgency.score,
    urgencyDiscounted: urgency.discounted,
    normalisedText: text,
    reasons: [
      `decision: ${ROOT_CAUSES.map((r) => `${r} ${formatNumber(rootScore[r])}`).join(' | ')} → ${rootCause}/${subtype}`,
      ...contributions.sort((a, b) => Math.abs(b.value) - Math.abs(a.value)).map((c) => c.reason),
      ...reading.cueReasons,
      ...reasons,
      ...urgency.reasons,
      ...(urgent ? [`urgent: score ${formatNumber(urgency.score)} ≥ ${URGENCY_PARAMETERS.threshold}`] : []),
    ],
  };
}
