// Combines the lexicon engine's scores with the learned text model's probabilities into one decision, its confidence and its reasons.
import type { ScoredComplaint } from './scoring-engine';
import { CONFIDENCE_PARAMETERS, HYBRID_PARAMETERS } from './scoring-parameters';
import { ALL_SUBTYPES, ROOT_CAUSES, SUBTYPES_BY_ROOT_CAUSE, type RootCause, type Subtype } from './taxonomy';
import { TEXT_MODEL_PARAMETERS, type TextModel, type TextModelPrediction } from './text-model';

export interface HybridDecision {
  readonly rootCause: RootCause;
  readonly subtype: Subtype;
  readonly urgent: boolean;
  readonly confidence: number;
  readonly reasons: string[];
}

const SUBTYPE_INDEX = new Map<Subtype, number>(ALL_SUBTYPES.map((s, i) => [s, i]));
/** Per root cause: the indices of its subtypes among the model's classes (ALL_SUBTYPES order). */
const CLASSES_OF = Object.fromEntries(
  ROOT_CAUSES.map((root) => [root, SUBTYPES_BY_ROOT_CAUSE[root].map((s) => SUBTYPE_INDEX.get(s)!)]),
) as unknown as Record<RootCause, readonly number[]>;
/** Same order as the lexicon engine's ties: a staff-behaviour reading is rarely incidental. */
const TIE_BREAK_ORDER: readonly RootCause[] = ['staff_attitude', 'power_quality', 'other'];

/** In place: exponentiates and normalises. */
function softmax(values: number[]): number[] {
  let max = -Infinity;
  for (const v of values) if (v > max) max = v;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i] = Math.exp(values[i] - max);
  for (let i = 0; i < values.length; i++) values[i] /= sum;
  return values;
}

function fmt(value: number): string {
  return value.toFixed(2);
}

/** The model's own reading: the most probable root cause (summing its subtypes), then subtype within it. */
export function modelDecision(prediction: TextModelPrediction): {
  rootCause: RootCause;
  subtype: Subtype;
  rootProbability: Record<RootCause, number>;
} {
  const p = prediction.subtypeProbabilities;
  const rootProbability = { power_quality: 0, staff_attitude: 0, other: 0 };
  let rootCause = TIE_BREAK_ORDER[0];
  for (const root of TIE_BREAK_ORDER) {
    for (const c of CLASSES_OF[root]) rootProbability[root] += p[c];
    if (rootProbability[root] > rootProbability[rootCause]) rootCause = root;
  }
  let best = CLASSES_OF[rootCause][0];
  for (const c of CLASSES_OF[rootCause]) if (p[c] > p[best]) best = c;
  return { rootCause, subtype: ALL_SUBTYPES[best], rootProbability };
}

/**
 * Log-linear blend: score(root) = w·lexicon(root) + log P_model(root); within the chosen root,
 * score(subtype) = w·lexicon(subtype) + log P_model(subtype | root). Confidence is the blended posterior,
 * lowered when the lexicon had nothing to say or when the two readings disagree.
 */
const NO_OVERRIDES: Partial<typeof HYBRID_PARAMETERS> = {};

export function combine(
  lexicon: ScoredComplaint,
  model: TextModel,
  prediction: TextModelPrediction,
  parameters: Partial<typeof HYBRID_PARAMETERS> = NO_OVERRIDES,
): HybridDecision {
  const h = parameters === NO_OVERRIDES ? HYBRID_PARAMETERS : { ...HYBRID_PARAMETERS, ...parameters };
  const p = prediction.subtypeProbabilities;
  const floor = h.probabilityFloor;
  const fromModel = modelDecision(prediction);

  const rootPosterior: number[] = [];
  for (const root of ROOT_CAUSES) {
    rootPosterior.push(
      h.lexiconWeight * lexicon.rootScores[root] + Math.log(fromModel.rootProbability[root] + floor),
    );
  }
  softmax(rootPosterior);
  let rootCause = TIE_BREAK_ORDER[0];
  for (const root of TIE_BREAK_ORDER) {
    if (rootPosterior[ROOT_CAUSES.indexOf(root)] > rootPosterior[ROOT_CAUSES.indexOf(rootCause)])
      rootCause = root;
  }

  const candidates = CLASSES_OF[rootCause];
  const within = fromModel.rootProbability[rootCause];
  const subtypePosterior: number[] = [];
  for (const c of candidates) {
    const lexiconScore = lexicon.subtypeScores.get(ALL_SUBTYPES[c]) ?? 0;
    subtypePosterior.push(h.lexiconWeight * Math.max(0, lexiconScore) + Math.log(p[c] / within + floor));
  }
  softmax(subtypePosterior);
  let best = 0;
  for (let i = 1; i < subtypePosterior.length; i++)
    if (subtypePosterior[i] > subtypePosterior[best]) best = i;
  const subtype: Subtype = ALL_SUBTYPES[candidates[best]];

  const c = CONFIDENCE_PARAMETERS;
  let confidence =
    rootPosterior[ROOT_CAUSES.indexOf(rootCause)] *
    (1 - c.subtypeShareWeight + c.subtypeShareWeight * subtypePosterior[best]);
  let note: string;
  if (!lexicon.hasEvidence) {
    confidence *= h.modelOnly;
    note = 'no lexicon evidence: the model decides';
  } else if (lexicon.rootCause !== fromModel.rootCause) {
    confidence *= h.rootDisagreement;
    note = `lexicon and model disagree on the root cause (${lexicon.rootCause} vs ${fromModel.rootCause})`;
  } else if (lexicon.subtype !== fromModel.subtype) {
    confidence *= h.subtypeDisagreement;
    note = `lexicon and model disagree on the subtype (${lexicon.subtype} vs ${fromModel.subtype})`;
  } else {
    note = 'lexicon and model agree';
  }
  confidence = Math.round(Math.min(1, Math.max(0, confidence)) * 1000) / 1000;

  // Urgency is first the lexicon's rule (safety, medical, institutions without power); the model's urgent head
  // adds the cases it is sure of (optionally only where the lexicon saw some urgency cue).
  // Not where the text itself discounted an urgency cue (negated, past, hypothetical, "not an emergency").
  const modelUrgent =
    !lexicon.urgent &&
    lexicon.urgencyDiscounted !== true &&
    (lexicon.urgencyScore > 0 || !h.urgentModelNeedsCue) &&
    prediction.urgentProbability >= h.urgentModelThreshold;
  const urgent = lexicon.urgent || modelUrgent;

  const ngrams = model.explain(prediction, fromModel.rootCause, TEXT_MODEL_PARAMETERS.explainTop);
  const modelSubtypeProbability = p[SUBTYPE_INDEX.get(fromModel.subtype)!];
  const reasons: string[] = [
    `decision: power_quality ${fmt(rootPosterior[0])} | staff_attitude ${fmt(rootPosterior[1])} | other ${fmt(rootPosterior[2])} → ${rootCause}/${subtype} (lexicon + model; ${note})`,
    `lexicon:${lexicon.reasons[0].slice('decision:'.length)}`,
    `model: ${fromModel.rootCause} ${fmt(fromModel.rootProbability[fromModel.rootCause])} → ${fromModel.rootCause}/${fromModel.subtype} ${fmt(modelSubtypeProbability)}` +
      (ngrams.length ? ` (n-grams "${ngrams.join('", "')}")` : ' (no known n-grams)'),
  ];
  for (let i = 1; i < lexicon.reasons.length; i++) reasons.push(lexicon.reasons[i]);
  if (modelUrgent) {
    reasons.push(
      `urgent: model ${fmt(prediction.urgentProbability)} ≥ ${h.urgentModelThreshold} (text model's urgent head)`,
    );
  }
  return { rootCause, subtype, urgent, confidence, reasons };
}
