// Honest figures for the hybrid classifier: stratified k-fold and leave-one-batch-out, the text model trained only on the complaints not being scored.
import {
  DEFAULT_POWER_QUALITY_LIMITS,
  TextModel,
  modelDecision,
  normaliseComplaint,
  type RootCause,
  type Subtype,
} from '../src/domain/classification';
import { combine } from '../src/domain/classification/hybrid';
import {
  lexiconEntriesUsed,
  scoreComplaint,
  type ScoredComplaint,
} from '../src/domain/classification/scoring-engine';
import { CONFIDENCE_PARAMETERS, HYBRID_PARAMETERS } from '../src/domain/classification/scoring-parameters';
import { trainTextModel } from '../src/domain/classification/text-model';

export interface Labelled {
  id: string;
  text: string;
  rootCause: RootCause;
  subtype: Subtype;
  urgent: boolean;
}

/**
 * lexicon / hybrid use the lexicon as committed, which was tuned on every labelled complaint (so they are
 * in-sample on the lexicon side). The "ablated" variants drop, per split, every lexicon entry that fires on a
 * scored complaint but on no training complaint: the lexicon an author could have written from the training
 * part alone (pessimistic: some of those entries came from domain knowledge, not from the data).
 */
export type Method = 'lexicon' | 'model' | 'hybrid' | 'lexiconAblated' | 'hybridAblated';
export const METHODS: readonly Method[] = ['lexicon', 'model', 'hybrid', 'lexiconAblated', 'hybridAblated'];

function emptyTallies(): Record<Method, Tally> {
  return Object.fromEntries(METHODS.map((m) => [m, emptyTally()])) as Record<Method, Tally>;
}

interface Prediction {
  rootCause: RootCause;
  subtype: Subtype;
  urgent: boolean;
  confidence: number;
}

export interface Scores {
  n: number;
  rootCause: number;
  subtype: number;
  urgentTp: number;
  urgentFp: number;
  urgentFn: number;
  /** Share sent for review (confidence below the default threshold), and subtype accuracy of the rest. */
  review: number;
  subtypeWhenNotFlagged: number;
}

export function emptyTally(): Tally {
  return { n: 0, root: 0, sub: 0, tp: 0, fp: 0, fn: 0, flagged: 0, unflaggedOk: 0 };
}

export interface Tally {
  n: number;
  root: number;
  sub: number;
  tp: number;
  fp: number;
  fn: number;
  flagged: number;
  unflaggedOk: number;
}

function add(tally: Tally, expected: Labelled, predicted: Prediction): void {
  tally.n++;
  if (predicted.rootCause === expected.rootCause) tally.root++;
  if (predicted.subtype === expected.subtype) tally.sub++;
  if (predicted.urgent && expected.urgent) tally.tp++;
  if (predicted.urgent && !expected.urgent) tally.fp++;
  if (!predicted.urgent && expected.urgent) tally.fn++;
  if (predicted.confidence < CONFIDENCE_PARAMETERS.reviewThreshold) tally.flagged++;
  else if (predicted.subtype === expected.subtype) tally.unflaggedOk++;
}

export function scoresOf(t: Tally): Scores {
  return {
    n: t.n,
    rootCause: t.root / t.n,
    subtype: t.sub / t.n,
    urgentTp: t.tp,
    urgentFp: t.fp,
    urgentFn: t.fn,
    review: t.flagged / t.n,
    subtypeWhenNotFlagged: t.n === t.flagged ? 1 : t.unflaggedOk / (t.n - t.flagged),
  };
}

export const urgentPrecision = (s: Scores): number =>
  s.urgentTp + s.urgentFp === 0 ? 1 : s.urgentTp / (s.urgentTp + s.urgentFp);
export const urgentRecall = (s: Scores): number =>
  s.urgentTp + s.urgentFn === 0 ? 1 : s.urgentTp / (s.urgentTp + s.urgentFn);

/** mulberry32: a small seeded generator, so the folds are the same on every run and machine. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Stratified by subtype: each subtype's complaints are shuffled (fixed seed) and dealt round-robin to the folds. */
export function stratifiedFolds(rows: readonly Labelled[], k: number, seed: number): number[] {
  const random = seededRandom(seed);
  const fold = new Array<number>(rows.length).fill(0);
  const bySubtype = new Map<Subtype, number[]>();
  rows.forEach((row, i) => bySubtype.set(row.subtype, [...(bySubtype.get(row.subtype) ?? []), i]));
  let next = 0;
  for (const subtype of [...bySubtype.keys()].sort()) {
    const indices = bySubtype.get(subtype)!;
    for (let i = indices.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [indices[i], indices[j]] = [indices[j], indices[i]];
    }
    // Continue the round-robin across subtypes so fold sizes stay within one of each other.
    for (const index of indices) fold[index] = next++ % k;
  }
  return fold;
}

/** The lexicon's reading of every complaint, computed once: it does not depend on the folds. */
export interface Reading {
  scored: ScoredComplaint;
  normalised: string;
  entries: Set<string>;
}

export function readAll(rows: readonly Labelled[]): Reading[] {
  return rows.map((row) => {
    const scored = scoreComplaint(row.text, DEFAULT_POWER_QUALITY_LIMITS);
    return { scored, normalised: normaliseComplaint(row.text).text, entries: lexiconEntriesUsed(row.text) };
  });
}

export function trainFold(
  rows: readonly Labelled[],
  indices: readonly number[],
  normalised: readonly string[],
): TextModel {
  return new TextModel(
    trainTextModel(
      indices.map((i) => ({ text: normalised[i], subtype: rows[i].subtype, urgent: rows[i].urgent })),
    ),
  );
}

export interface SplitResult {
  tallies: Record<Method, Tally>;
  /** Per test complaint: what each method predicted (for error listings). */
  predictions: { index: number; predicted: Record<Method, Prediction> }[];
}

/** Scores `test` with lexicon alone, a model trained on `train` alone, and the two combined. */
export function scoreSplit(
  rows: readonly Labelled[],
  read: readonly Reading[],
  train: readonly number[],
  test: readonly number[],
  hybridParameters: Partial<typeof HYBRID_PARAMETERS> = {},
): SplitResult {
  const model = trainFold(
    rows,
    train,
    read.map((r) => r.normalised),
  );
  const seenInTraining = new Set<string>();
  for (const i of train) for (const entry of read[i].entries) seenInTraining.add(entry);
  const tallies = emptyTallies();
  const predictions: SplitResult['predictions'] = [];
  for (const i of test) {
    const { scored } = read[i];
    const prediction = model.predict(scored.normalisedText);
    const fromModel = modelDecision(prediction);
    const unseen = new Set([...read[i].entries].filter((entry) => !seenInTraining.has(entry)));
    const ablated = unseen.size ? scoreComplaint(rows[i].text, DEFAULT_POWER_QUALITY_LIMITS, unseen) : scored;
    const predicted: Record<Method, Prediction> = {
      lexicon: scored,
      model: {
        rootCause: fromModel.rootCause,
        subtype: fromModel.subtype,
        urgent: prediction.urgentProbability >= 0.5,
        confidence: fromModel.rootProbability[fromModel.rootCause],
      },
      hybrid: combine(scored, model, prediction, hybridParameters),
      lexiconAblated: ablated,
      hybridAblated: combine(ablated, model, prediction, hybridParameters),
    };
    for (const method of METHODS) add(tallies[method], rows[i], predicted[method]);
    predictions.push({ index: i, predicted });
  }
  return { tallies, predictions };
}

function merge(into: Record<Method, Tally>, from: Record<Method, Tally>): void {
  for (const method of METHODS) {
    for (const key of Object.keys(into[method]) as (keyof Tally)[]) into[method][key] += from[method][key];
  }
}

export interface CrossValidation {
  k: number;
  seed: number;
  scores: Record<Method, Scores>;
  predictions: SplitResult['predictions'];
}

/** Stratified k-fold over `rows`: the model of each fold never sees the fold it scores. */
export function crossValidate(
  rows: readonly Labelled[],
  options: {
    k?: number;
    seed?: number;
    read?: ReturnType<typeof readAll>;
    hybrid?: Partial<typeof HYBRID_PARAMETERS>;
  } = {},
): CrossValidation {
  const k = options.k ?? 5;
  const seed = options.seed ?? 20240601;
  const read = options.read ?? readAll(rows);
  const fold = stratifiedFolds(rows, k, seed);
  const totals = emptyTallies();
  const predictions: SplitResult['predictions'] = [];
  for (let f = 0; f < k; f++) {
    const train = rows.map((_, i) => i).filter((i) => fold[i] !== f);
    const test = rows.map((_, i) => i).filter((i) => fold[i] === f);
    const split = scoreSplit(rows, read, train, test, options.hybrid);
    merge(totals, split.tallies);
    predictions.push(...split.predictions);
  }
  return {
    k,
    seed,
    scores: Object.fromEntries(METHODS.map((m) => [m, scoresOf(totals[m])])) as Record<Method, Scores>,
    predictions: predictions.sort((a, b) => a.index - b.index),
  };
}

export function batchOf(id: string): string {
  return id.replace(/-[^-]*$/, '');
}

export interface BatchResult {
  batch: string;
  scores: Record<Method, Scores>;
}

/** Leave one batch out: the model learns from every other batch and scores the one left out. */
export function leaveOneBatchOut(
  rows: readonly Labelled[],
  options: { read?: ReturnType<typeof readAll>; hybrid?: Partial<typeof HYBRID_PARAMETERS> } = {},
): { batches: BatchResult[]; pooledBlind: Record<Method, Scores> } {
  const read = options.read ?? readAll(rows);
  const batches = [...new Set(rows.map((r) => batchOf(r.id)))];
  const pooled = emptyTallies();
  const results = batches.map((batch) => {
    const train = rows.map((_, i) => i).filter((i) => batchOf(rows[i].id) !== batch);
    const test = rows.map((_, i) => i).filter((i) => batchOf(rows[i].id) === batch);
    const split = scoreSplit(rows, read, train, test, options.hybrid);
    if (batch.startsWith('blind')) merge(pooled, split.tallies);
    return {
      batch,
      scores: Object.fromEntries(METHODS.map((m) => [m, scoresOf(split.tallies[m])])) as Record<
        Method,
        Scores
      >,
    };
  });
  return {
    batches: results,
    pooledBlind: Object.fromEntries(METHODS.map((m) => [m, scoresOf(pooled[m])])) as Record<Method, Scores>,
  };
}
