// A small statistical text model learned from labelled complaints: binary multinomial Naive Bayes over Chinese character 1–3-grams and English word 1–2-grams.
import { ALL_SUBTYPES, ROOT_CAUSES, rootCauseOf, type RootCause, type Subtype } from './taxonomy';

/**
 * Features are read from the normalised text (NFKC, lower case, Simplified, Cantonese words in Mandarin), so
 * Traditional and Simplified spellings share their n-grams. A run of digits is one symbol, "#", so "185伏" and
 * "192 volts" become "#伏" and "# volt".
 *
 * Chinese n-grams are packed into one number (UTF-16 code units, 16 bits each) so the hot path allocates no
 * strings; English words are strings.
 */
const HASH = 35; // '#'

function isHan(code: number): boolean {
  return (
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0xf900 && code <= 0xfaff)
  );
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isLatin(code: number): boolean {
  return code >= 97 && code <= 122;
}

/** Function words that carry no topic on their own; they still take part in bigrams ("hung up", "no power"). */
const STOPWORDS = new Set(
  (
    'a an the and or but if of to in on at for from by with as is are was were be been being am it its this that ' +
    'these those i me my we our us you your he him his she her they them their there here so than then too very ' +
    'can could would should will shall may might do does did have has had just also about into over after before ' +
    'again all any some such what which who whom when where while how why up out off am pm'
  ).split(' '),
);

/** A light suffix stripper: enough to join "flickering/flickers/flickered" and "bills/bill". */
export function stemWord(word: string): string {
  if (word.length <= 4) return word;
  if (word.endsWith('ies') && word.length > 5) return word.slice(0, -3) + 'y';
  if (word.endsWith('ing') && word.length > 5) return word.slice(0, -3);
  if (word.endsWith('ed') && word.length > 5) return word.slice(0, -2);
  if (word.endsWith('ly') && word.length > 5) return word.slice(0, -2);
  if (word.endsWith('es') && word.length > 5 && /(ch|sh|ss|x)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

/**
 * Receives each feature of a text: a Chinese n-gram packed into two integers (`hi` the first unit of a trigram,
 * else 0; `lo` the remaining one or two units, 16 bits each) or an English word / word pair.
 */
export interface FeatureVisitor {
  han(hi: number, lo: number): void;
  word(key: string): void;
}

/** Walks the features of a normalised text: Han/digit runs give 1–3-grams, Latin words give unigrams and bigrams. */
export function visitFeatures(text: string, visitor: FeatureVisitor): void {
  const n = text.length;
  let a = 0; // the two previous symbols of the current Han run (0 = none)
  let b = 0;
  let previousWord = '';
  let i = 0;
  while (i < n) {
    const code = text.charCodeAt(i);
    if (isHan(code) || isDigit(code)) {
      let symbol = code;
      if (isDigit(code)) {
        while (i + 1 < n && (isDigit(text.charCodeAt(i + 1)) || text.charCodeAt(i + 1) === 46)) i++;
        symbol = HASH;
      }
      i++;
      if (symbol === HASH && b === 0 && !isHan(text.charCodeAt(i))) {
        // A number outside Chinese text is an English word: "# volt", "over #".
        visitor.word('#');
        if (previousWord !== '') visitor.word(`${previousWord} #`);
        previousWord = '#';
        continue;
      }
      if (symbol !== HASH) visitor.han(0, symbol);
      if (b !== 0) visitor.han(0, b * 65536 + symbol);
      if (a !== 0) visitor.han(a, b * 65536 + symbol);
      a = b;
      b = symbol;
      previousWord = '';
      continue;
    }
    a = b = 0;
    if (isLatin(code)) {
      let end = i + 1;
      while (end < n && (isLatin(text.charCodeAt(end)) || text.charCodeAt(end) === 39)) end++;
      const slice = text.slice(i, end);
      const raw = slice.includes("'") ? slice.replace(/'/g, '') : slice;
      i = end;
      if (raw.length < 2) {
        previousWord = '';
        continue;
      }
      const word = stemWord(raw);
      const stop = STOPWORDS.has(raw);
      if (!stop) visitor.word(word);
      if (previousWord !== '' && !(stop && STOPWORDS.has(previousWord)))
        visitor.word(`${previousWord} ${word}`);
      previousWord = stop ? raw : word;
      continue;
    }
    // Spaces and hyphens keep an English phrase together; other punctuation breaks it.
    if (code !== 32 && code !== 45) previousWord = '';
    i++;
  }
}

/** The readable form of a packed Chinese n-gram. */
export function hanKeyToString(hi: number, lo: number): string {
  const units = [hi, Math.floor(lo / 65536), lo % 65536].filter((unit) => unit !== 0);
  return String.fromCharCode(...units);
}

/** The packed form of a Chinese n-gram of one to three UTF-16 units. */
export function stringToHanKey(text: string): [hi: number, lo: number] {
  const units = [...text].map((ch) => ch.charCodeAt(0));
  if (units.length === 3) return [units[0], units[1] * 65536 + units[2]];
  if (units.length === 2) return [0, units[0] * 65536 + units[1]];
  return [0, units[0]];
}

/**
 * Open-addressing hash table from packed Chinese n-grams to feature indices: integer arithmetic only, so a
 * lookup allocates nothing (a Map keyed by 48-bit numbers boxes every key).
 */
class HanTable {
  /** Slots of three integers (hi, lo, feature index or −1): one cache line per probe, not three arrays. */
  private readonly slots: Int32Array;
  private readonly mask: number;

  constructor(capacity: number) {
    let size = 16;
    while (size < capacity * 2) size *= 2;
    this.mask = size - 1;
    this.slots = new Int32Array(size * 3);
    for (let s = 0; s < size; s++) this.slots[s * 3 + 2] = -1;
  }

  private slot(hi: number, lo: number): number {
    // murmur3's finaliser over both halves: every input bit reaches the low bits the mask keeps.
    let h = (Math.imul(hi, 0x9e3779b1) + (lo | 0)) | 0;
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    return h & this.mask;
  }

  set(hi: number, lo: number, value: number): void {
    const slots = this.slots;
    let s = this.slot(hi, lo) * 3;
    while (slots[s + 2] !== -1 && !(slots[s] === hi && slots[s + 1] === (lo | 0))) s = (s + 3) % slots.length;
    slots[s] = hi;
    slots[s + 1] = lo | 0;
    slots[s + 2] = value;
  }

  get(hi: number, lo: number): number {
    const slots = this.slots;
    const l = lo | 0;
    let s = this.slot(hi, lo) * 3;
    for (;;) {
      const v = slots[s + 2];
      if (v === -1 || (slots[s] === hi && slots[s + 1] === l)) return v;
      s += 3;
      if (s === slots.length) s = 0;
    }
  }
}

/** Features of a text as strings (training and explanations): Chinese n-grams as text, English words as "w:…". */
export function featureStrings(text: string): Set<string> {
  const out = new Set<string>();
  visitFeatures(text, {
    han: (hi, lo) => out.add(hanKeyToString(hi, lo)),
    word: (key) => out.add(`w:${key}`),
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Training

export interface TrainingExample {
  /** Normalised text (see normaliseComplaint). */
  readonly text: string;
  readonly subtype: Subtype;
  readonly urgent: boolean;
}

/** The committed form of the model: documents and feature counts per class, all integers, so exactly reproducible. */
export interface TextModelWeights {
  readonly format: 'complaint-nb/1';
  /** Features kept: seen in at least this many training complaints. */
  readonly minDocumentFrequency: number;
  readonly subtypes: readonly Subtype[];
  /** Training complaints per subtype, and urgent ones per subtype (the urgent head's counts). */
  readonly documents: readonly number[];
  readonly urgentDocuments: readonly number[];
  /**
   * One line per feature: `feature<TAB>class:count class:count…<TAB>urgentCount`, class being the index in
   * `subtypes`. Chinese features are the n-gram itself; English ones start with "w:".
   */
  readonly features: readonly string[];
}

export const TEXT_MODEL_DEFAULTS = { minDocumentFrequency: 2 } as const;

export function trainTextModel(
  examples: readonly TrainingExample[],
  options: { minDocumentFrequency?: number } = {},
): TextModelWeights {
  const minDocumentFrequency = options.minDocumentFrequency ?? TEXT_MODEL_DEFAULTS.minDocumentFrequency;
  const subtypes = ALL_SUBTYPES;
  const classIndex = new Map<Subtype, number>(subtypes.map((s, i) => [s, i]));
  const documents = subtypes.map(() => 0);
  const urgentDocuments = subtypes.map(() => 0);
  const counts = new Map<string, { perClass: number[]; urgent: number; df: number }>();
  for (const example of examples) {
    const c = classIndex.get(example.subtype);
    if (c === undefined) throw new RangeError(`unknown subtype ${example.subtype}`);
    documents[c]++;
    if (example.urgent) urgentDocuments[c]++;
    for (const feature of featureStrings(example.text)) {
      let entry = counts.get(feature);
      if (!entry) {
        entry = { perClass: subtypes.map(() => 0), urgent: 0, df: 0 };
        counts.set(feature, entry);
      }
      entry.perClass[c]++;
      entry.df++;
      if (example.urgent) entry.urgent++;
    }
  }
  const features = [...counts.entries()]
    .filter(([, entry]) => entry.df >= minDocumentFrequency)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([feature, entry]) => {
      const perClass = entry.perClass
        .map((count, c) => (count > 0 ? `${c}:${count}` : ''))
        .filter(Boolean)
        .join(' ');
      return `${feature}\t${perClass}\t${entry.urgent}`;
    });
  return {
    format: 'complaint-nb/1',
    minDocumentFrequency,
    subtypes: [...subtypes],
    documents,
    urgentDocuments,
    features,
  };
}

// ---------------------------------------------------------------------------------------------
// Inference

export const TEXT_MODEL_PARAMETERS = {
  /** Additive (Laplace) smoothing of the per-class feature counts. */
  smoothing: 0.1,
  /**
   * Naive Bayes treats overlapping n-grams as independent evidence, so its raw log-odds are far too sharp:
   * they are divided by this before the softmax (chosen from the cross-validated log-loss).
   */
  temperature: 6,
  /** Features named in the explanation. */
  explainTop: 3,
} as const;

export interface TextModelPrediction {
  /** Calibrated probability of each subtype (sums to 1), in ALL_SUBTYPES order. */
  readonly subtypeProbabilities: Float64Array;
  /** Probability that the complaint is urgent, from the urgent head. */
  readonly urgentProbability: number;
  /** The known features found in the text, as feature indices in the order first found (for explain). */
  readonly features: readonly number[];
}

/** A feature's row: the class in the low 8 bits, the feature's count in that class above them. */
const CLASS_BITS = 8;
const CLASS_MASK = (1 << CLASS_BITS) - 1;

/** Stamps are reset before they outgrow a small integer (one stamp per prediction). */
const STAMP_LIMIT = 0x3fffffff;

export class TextModel {
  readonly subtypes: readonly Subtype[];
  private readonly classes: number;
  /** Chinese bigrams and trigrams → feature index; single characters in `hanUnigram` (one read, no hashing). */
  private readonly hanIndex: HanTable;
  /** Feature index + 1 of each single character (0: none); 16-bit while there are fewer than 65,535 features. */
  private readonly hanUnigram: Uint16Array | Int32Array;
  /**
   * Whether both characters of every bigram feature and both bigrams of every trigram feature are features too, as
   * training guarantees (a text holding "abc" holds "ab", "bc", "a", "b" and "c", so their document counts are at
   * least as high; "#" is never a unigram). Then an n-gram is looked up only when its shorter parts were found.
   * Checked on the weights, so hand-made weights without the property are read in full.
   */
  private readonly nested: boolean;
  /**
   * English features by integer key: every word that occurs in a feature gets an id (`wordIds`), a single word is
   * keyed by its id and a word pair by `vocabulary + first × vocabulary + second`, so a pair is looked up without
   * building its string. A pair with an unknown word cannot be a feature (every feature's words have ids).
   */
  private readonly wordIds = new Map<string, number>();
  private readonly wordIndex = new Map<number, number>();
  /** Per word id: whether the word is a stopword (a pair of two stopwords is not a feature). */
  private readonly stopwordId: Uint8Array;
  private readonly hashWordId: number;
  private readonly featureText: string[] = [];
  /** Per feature: the stamp of the last text it was found in, so each counts once per text. */
  private readonly stamps: Int32Array;
  /**
   * log P(f | c) = unseen[c] + lift, where unseen[c] = log(α / (N_c + α|V|)) is the same for every feature a class
   * never saw and lift = log((count + α) / α) is needed only for the classes that saw the feature, so scoring
   * touches only those. A lift depends on the count alone, so a feature's rows are (class, count) packed in 32 bits
   * (`rows[rowStart[f] … rowStart[f + 1])`) and the lifts come from `liftOfCount`: the tables scoring reads per text
   * stay a few tens of kilobytes, which matters because the lexicon engine runs just before and evicts the caches.
   */
  private readonly rowStart: Int32Array;
  private readonly rows: Uint32Array;
  private readonly liftOfCount: Float64Array;
  /** Per feature: the urgent head's log-ratio. */
  private readonly urgentLift: Float64Array;
  /** Per feature and root cause (ROOT_CAUSES order): how much it favours that root, for explanations. */
  private readonly rootLift: Float64Array;
  private readonly unseen: Float64Array;
  private readonly logPrior: Float64Array;
  private readonly urgentLogPriorRatio: number;
  private readonly temperature: number;
  private stamp = 0;
  private readonly found: number[] = [];

  constructor(weights: TextModelWeights, parameters: { smoothing?: number; temperature?: number } = {}) {
    const alpha = parameters.smoothing ?? TEXT_MODEL_PARAMETERS.smoothing;
    this.temperature = parameters.temperature ?? TEXT_MODEL_PARAMETERS.temperature;
    this.subtypes = weights.subtypes;
    const k = (this.classes = weights.subtypes.length);
    const rootOfClass = weights.subtypes.map((s) => ROOT_CAUSES.indexOf(rootCauseOf(s)));
    const classesPerRoot = ROOT_CAUSES.map((_, r) => rootOfClass.filter((x) => x === r).length);
    const nFeatures = weights.features.length;
    // Only Chinese bigrams and trigrams go into the hash table (single characters have their own table): sized
    // for them alone, it stays small enough to keep in cache.
    this.hanIndex = new HanTable(
      weights.features.filter((line) => !line.startsWith('w:') && [...line.split('\t')[0]].length > 1).length,
    );
    const parsed = weights.features.map((line) => {
      const [feature, perClass, urgentCount] = line.split('\t');
      const rows = perClass
        .split(' ')
        .filter(Boolean)
        .map((pair) => pair.split(':').map(Number) as [number, number]);
      return { feature, rows, urgent: Number(urgentCount) };
    });
    for (const { feature } of parsed) {
      if (!feature.startsWith('w:')) continue;
      for (const word of feature.slice(2).split(' '))
        if (!this.wordIds.has(word)) this.wordIds.set(word, this.wordIds.size);
    }
    const hanFeatures = new Set(parsed.map(({ feature }) => feature).filter((f) => !f.startsWith('w:')));
    const isKnown = (unit: string): boolean => unit === '#' || hanFeatures.has(unit);
    this.nested = [...hanFeatures].every((feature) => {
      const units = [...feature];
      if (units.length === 2) return isKnown(units[0]) && isKnown(units[1]);
      if (units.length === 3)
        return hanFeatures.has(units[0] + units[1]) && hanFeatures.has(units[1] + units[2]);
      return true;
    });
    const vocabulary = this.wordIds.size;
    this.stopwordId = new Uint8Array(vocabulary);
    for (const [word, id] of this.wordIds) if (STOPWORDS.has(word)) this.stopwordId[id] = 1;
    this.hashWordId = this.wordIds.get('#') ?? -1;
    this.stamps = new Int32Array(nFeatures);
    this.hanUnigram = nFeatures < 0xffff ? new Uint16Array(0x10000) : new Int32Array(0x10000);
    const totals = new Float64Array(k);
    let urgentTotal = 0;
    let allTotal = 0;
    let rowCount = 0;
    let maxCount = 0;
    for (const { rows, urgent } of parsed) {
      for (const [c, count] of rows) {
        totals[c] += count;
        allTotal += count;
        maxCount = Math.max(maxCount, count);
      }
      urgentTotal += urgent;
      rowCount += rows.length;
    }
    if (k > CLASS_MASK + 1) throw new RangeError(`at most ${CLASS_MASK + 1} classes, got ${k}`);
    const nonUrgentTotal = allTotal - urgentTotal;
    this.unseen = Float64Array.from(totals, (total) => Math.log(alpha) - Math.log(total + alpha * nFeatures));
    const uDen = Math.log(urgentTotal + alpha * nFeatures);
    const nDen = Math.log(nonUrgentTotal + alpha * nFeatures);
    this.liftOfCount = Float64Array.from({ length: maxCount + 1 }, (_, count) =>
      Math.log((count + alpha) / alpha),
    );
    this.rowStart = new Int32Array(nFeatures + 1);
    this.rows = new Uint32Array(rowCount);
    this.urgentLift = new Float64Array(nFeatures);
    this.rootLift = new Float64Array(nFeatures * ROOT_CAUSES.length);
    let row = 0;
    parsed.forEach(({ feature, rows, urgent }, f) => {
      this.featureText.push(feature);
      if (feature.startsWith('w:')) {
        const words = feature
          .slice(2)
          .split(' ')
          .map((word) => this.wordIds.get(word)!);
        this.wordIndex.set(words.length === 1 ? words[0] : vocabulary + words[0] * vocabulary + words[1], f);
      } else {
        const [hi, lo] = stringToHanKey(feature);
        if (hi === 0 && lo < 0x10000) this.hanUnigram[lo] = f + 1;
        else this.hanIndex.set(hi, lo, f);
      }
      const all = rows.reduce((sum, [, count]) => sum + count, 0);
      this.urgentLift[f] = Math.log(urgent + alpha) - uDen - (Math.log(all - urgent + alpha) - nDen);
      this.rowStart[f] = row;
      for (const [c, count] of rows) this.rows[row++] = count * (CLASS_MASK + 1) + c;
      const lifts = rows.map(([c, count]) => [c, this.liftOfCount[count]] as const);
      for (let r = 0; r < ROOT_CAUSES.length; r++) {
        let forRoot = 0;
        let against = 0;
        for (const [c, lift] of lifts) {
          if (rootOfClass[c] === r) forRoot = Math.max(forRoot, lift);
          else against += lift;
        }
        this.rootLift[f * ROOT_CAUSES.length + r] = forRoot - against / Math.max(1, k - classesPerRoot[r]);
      }
    });
    this.rowStart[nFeatures] = row;
    const documents = weights.documents.reduce((sum, d) => sum + d, 0);
    this.logPrior = Float64Array.from(weights.documents, (d) => Math.log((d + 1) / (documents + k)));
    const urgentDocuments = weights.urgentDocuments.reduce((sum, d) => sum + d, 0);
    this.urgentLogPriorRatio = Math.log((urgentDocuments + 1) / (documents - urgentDocuments + 1));
  }

  get featureCount(): number {
    return this.featureText.length;
  }

  /** Records feature `f` (−1: not a feature) once per text, in the order first found. */
  private record(f: number): void {
    if (f !== -1 && this.stamps[f] !== this.stamp) {
      this.stamps[f] = this.stamp;
      this.found.push(f);
    }
  }

  private recordWord(id: number): void {
    if (id !== -1) this.record(this.wordIndex.get(id) ?? -1);
  }

  private recordPair(first: number, second: number): void {
    if (first !== -1 && second !== -1) {
      const vocabulary = this.stopwordId.length;
      this.record(this.wordIndex.get(vocabulary + first * vocabulary + second) ?? -1);
    }
  }

  /**
   * Indices of the known features of a normalised text, each once, in the order first found. The same walk as
   * visitFeatures (which training uses), specialised to look features up by integer keys without building any
   * n-gram or word-pair string; a test holds the two to the same features in the same order.
   */
  private collect(text: string): number[] {
    if (++this.stamp === STAMP_LIMIT) {
      this.stamps.fill(0);
      this.stamp = 1;
    }
    this.found.length = 0;
    const n = text.length;
    let a = 0; // the two previous symbols of the current Han run (0 = none)
    let b = 0;
    let previous = -1; // id of the previous English word (or "#"); −1: none, or not a feature word
    // Whether the previous character and the previous bigram are features (or may be: weights not nested).
    const full = !this.nested;
    let knownB = false;
    let knownAB = false;
    let previousIsStopword = false;
    let i = 0;
    while (i < n) {
      const code = text.charCodeAt(i);
      if (isHan(code) || isDigit(code)) {
        let symbol = code;
        if (isDigit(code)) {
          while (i + 1 < n && (isDigit(text.charCodeAt(i + 1)) || text.charCodeAt(i + 1) === 46)) i++;
          symbol = HASH;
        }
        i++;
        if (symbol === HASH && b === 0 && !isHan(text.charCodeAt(i))) {
          // A number outside Chinese text is an English word: "# volt", "over #".
          this.recordWord(this.hashWordId);
          this.recordPair(previous, this.hashWordId);
          previous = this.hashWordId;
          previousIsStopword = false;
          continue;
        }
        let known = true;
        if (symbol !== HASH) {
          const unigram = this.hanUnigram[symbol] - 1;
          this.record(unigram);
          known = unigram !== -1 || full;
        }
        let bigram = -1;
        if (b !== 0 && known && knownB) {
          bigram = this.hanIndex.get(0, b * 65536 + symbol);
          this.record(bigram);
          if (a !== 0 && knownAB && (bigram !== -1 || full))
            this.record(this.hanIndex.get(a, b * 65536 + symbol));
        }
        knownB = known;
        knownAB = bigram !== -1 || full;
        a = b;
        b = symbol;
        previous = -1;
        continue;
      }
      a = b = 0;
      if (isLatin(code)) {
        let end = i + 1;
        while (end < n && (isLatin(text.charCodeAt(end)) || text.charCodeAt(end) === 39)) end++;
        const slice = text.slice(i, end);
        const raw = slice.includes("'") ? slice.replace(/'/g, '') : slice;
        i = end;
        if (raw.length < 2) {
          previous = -1;
          continue;
        }
        const word = stemWord(raw);
        const stop = STOPWORDS.has(raw);
        const id = this.wordIds.get(word) ?? -1;
        if (!stop) this.recordWord(id);
        if (!(stop && previousIsStopword)) this.recordPair(previous, id);
        if (stop) {
          previous = this.wordIds.get(raw) ?? -1;
          previousIsStopword = true;
        } else {
          previous = id;
          previousIsStopword = id !== -1 && this.stopwordId[id] === 1;
        }
        continue;
      }
      // Spaces and hyphens keep an English phrase together; other punctuation breaks it.
      if (code !== 32 && code !== 45) previous = -1;
      i++;
    }
    return this.found;
  }

  /** The known features of a normalised text in the order the model reads them (as featureStrings spells them). */
  knownFeatures(text: string): string[] {
    return this.collect(text).map((f) => this.featureText[f]);
  }

  predict(text: string): TextModelPrediction {
    const k = this.classes;
    const found = this.collect(text);
    const scores = new Float64Array(k);
    for (let c = 0; c < k; c++) scores[c] = this.logPrior[c] + found.length * this.unseen[c];
    const { rowStart, rows, liftOfCount, urgentLift } = this;
    let urgentLogOdds = this.urgentLogPriorRatio;
    for (let i = 0; i < found.length; i++) {
      const f = found[i];
      urgentLogOdds += urgentLift[f];
      for (let r = rowStart[f], end = rowStart[f + 1]; r < end; r++) {
        const packed = rows[r];
        scores[packed & CLASS_MASK] += liftOfCount[packed >>> CLASS_BITS];
      }
    }
    const t = this.temperature;
    let max = -Infinity;
    for (let c = 0; c < k; c++) if (scores[c] > max) max = scores[c];
    let sum = 0;
    for (let c = 0; c < k; c++) {
      scores[c] = Math.exp((scores[c] - max) / t);
      sum += scores[c];
    }
    for (let c = 0; c < k; c++) scores[c] /= sum;
    return {
      subtypeProbabilities: scores,
      urgentProbability: 1 / (1 + Math.exp(-urgentLogOdds / t)),
      features: found.slice(),
    };
  }

  /**
   * The features of a prediction that most favour `root` over the other root causes: the feature's best lift
   * among the root's subtypes minus its mean lift over the other subtypes (the per-class constant of unseen
   * features is the same for every feature, so it does not change the order).
   */
  explain(prediction: TextModelPrediction, root: RootCause, top: number): string[] {
    if (top <= 0) return [];
    const slot = ROOT_CAUSES.indexOf(root);
    const roots = ROOT_CAUSES.length;
    const rootLift = this.rootLift;
    // The `top` best so far, best first (an insertion into a short list, shifting by hand).
    const best: number[] = [];
    const bestLift: number[] = [];
    for (const f of prediction.features) {
      const lift = rootLift[f * roots + slot];
      if (lift <= 0 || (best.length === top && lift <= bestLift[top - 1])) continue;
      let at = best.length === top ? top - 1 : best.length;
      while (at > 0 && bestLift[at - 1] < lift) {
        best[at] = best[at - 1];
        bestLift[at] = bestLift[at - 1];
        at--;
      }
      best[at] = f;
      bestLift[at] = lift;
    }
    return best.map((f) => {
      const feature = this.featureText[f];
      return feature.startsWith('w:') ? feature.slice(2) : feature;
    });
  }
}
