// Finds every lexicon phrase in a normalised complaint in one pass (Aho–Corasick), honouring gaps (…) and English word boundaries.

export interface PhraseHit<P> {
  readonly start: number;
  readonly end: number;
  /** For a gapped phrase, the region between its first and last piece (where other phrases may sit). */
  readonly gap: readonly [number, number] | null;
  readonly payload: P;
}

interface Piece {
  readonly text: string;
  /** English piece ending in `*`: any letters may follow. */
  readonly openEnd: boolean;
  readonly boundedStart: boolean;
  readonly boundedEnd: boolean;
}

interface CompiledPhrase<P> {
  readonly pieces: readonly Piece[];
  readonly maxGap: number;
  readonly payload: P;
}

const LATIN_EDGE = /[a-z0-9]/;

/** a–z or 0–9: the characters an English phrase may not be glued to. */
function isWordCode(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 48 && code <= 57);
}

function isWordChar(text: string, at: number): boolean {
  return at >= 0 && at < text.length && isWordCode(text.charCodeAt(at));
}

export interface MatcherOptions {
  /** Longest gap, in characters, that `…` may span in a phrase written in Chinese / in English. */
  readonly maxGapHan: number;
  readonly maxGapLatin: number;
  /** Characters a gap may not cross (clause punctuation). */
  readonly gapStoppers: string;
}

/** A phrase's pieces flattened for the hot path: texts and their edge flags side by side. */
interface FlatPhrase<P> {
  readonly firstLength: number;
  readonly firstBoundedStart: boolean;
  readonly firstOpenEnd: boolean;
  readonly firstBoundedEnd: boolean;
  readonly rest: readonly Piece[];
  readonly maxGap: number;
  readonly payload: P;
}

export class PhraseMatcher<P> {
  private readonly phrases: CompiledPhrase<P>[] = [];
  private readonly goto: Map<number, number>[] = [new Map<number, number>()];
  private readonly fail: number[] = [0];
  /** Phrase ids whose first piece ends at this node (own outputs only; the dictionary link chains the rest). */
  private readonly outputs: number[][] = [[]];
  private readonly dictionaryLink: number[] = [-1];
  /** Per UTF-16 code unit: 1 for the characters a gap may not cross. */
  private readonly stopper = new Uint8Array(0x10000);

  // The automaton compiled into flat typed arrays once the phrases are in (the building Maps above are kept only
  // for construction): the scan allocates nothing and chases no Map per character.
  /**
   * The root's transitions as a flat table: most characters fail at the root, so this is the hot path. 16-bit
   * entries while the automaton has fewer than 65,536 nodes (half the cache lines of 32-bit ones).
   */
  private rootNext: Uint16Array | Int32Array = new Uint16Array(0x10000);
  /** Children of node n: childCode / childNode[childStart[n] … childStart[n + 1]), sorted by code. */
  private childStart = new Int32Array(0);
  private childCode = new Uint16Array(0);
  private childNode = new Int32Array(0);
  private failLink = new Int32Array(0);
  /** The first node on n's output chain (n itself when it has outputs, else its dictionary link; ≤ 0: none). */
  private firstOutput = new Int32Array(0);
  private nextOutput = new Int32Array(0);
  /** Phrase ids ending at node n: outputIds[outputStart[n] … outputStart[n + 1]). */
  private outputStart = new Int32Array(0);
  private outputIds = new Int32Array(0);
  private flat: FlatPhrase<P>[] = [];

  constructor(
    entries: readonly { readonly phrase: string; readonly payload: P }[],
    private readonly options: MatcherOptions,
  ) {
    for (const ch of options.gapStoppers) this.stopper[ch.charCodeAt(0)] = 1;
    for (const entry of entries) this.add(entry.phrase, entry.payload);
    this.buildFailureLinks();
    if (this.goto.length > 0xffff) this.rootNext = new Int32Array(0x10000);
    for (const [code, child] of this.goto[0]) this.rootNext[code] = child;
    this.compile();
  }

  private add(phrase: string, payload: P): void {
    const pieces = phrase
      .split('…')
      .map((raw) => raw.trim())
      .filter((raw) => raw.length > 0)
      .map((raw): Piece => {
        const openEnd = raw.endsWith('*');
        const text = openEnd ? raw.slice(0, -1) : raw;
        return {
          text,
          openEnd,
          boundedStart: LATIN_EDGE.test(text[0] ?? ''),
          boundedEnd: LATIN_EDGE.test(text[text.length - 1] ?? ''),
        };
      });
    const first = pieces[0];
    if (!first || first.text.length === 0) return;
    const latin = /[a-z]/.test(phrase) && !/\p{Script=Han}/u.test(phrase);
    const id = this.phrases.length;
    this.phrases.push({ pieces, maxGap: latin ? this.options.maxGapLatin : this.options.maxGapHan, payload });
    let node = 0;
    for (let i = 0; i < first.text.length; i++) {
      const code = first.text.charCodeAt(i);
      let next = this.goto[node].get(code);
      if (next === undefined) {
        next = this.goto.length;
        this.goto.push(new Map<number, number>());
        this.fail.push(0);
        this.outputs.push([]);
        this.dictionaryLink.push(-1);
        this.goto[node].set(code, next);
      }
      node = next;
    }
    this.outputs[node].push(id);
  }

  private buildFailureLinks(): void {
    const queue: number[] = [];
    for (const child of this.goto[0].values()) queue.push(child);
    for (let head = 0; head < queue.length; head++) {
      const node = queue[head];
      for (const [code, child] of this.goto[node]) {
        let f = this.fail[node];
        while (f !== 0 && !this.goto[f].has(code)) f = this.fail[f]!;
        const target = this.goto[f].get(code);
        this.fail[child] = target !== undefined && target !== child ? target : 0;
        const failNode = this.fail[child];
        this.dictionaryLink[child] =
          this.outputs[failNode].length > 0 ? failNode : this.dictionaryLink[failNode];
        queue.push(child);
      }
    }
  }

  private compile(): void {
    const nodes = this.goto.length;
    const childStart = (this.childStart = new Int32Array(nodes + 1));
    let children = 0;
    for (let n = 0; n < nodes; n++) {
      childStart[n] = children;
      children += this.goto[n].size;
    }
    childStart[nodes] = children;
    this.childCode = new Uint16Array(children);
    this.childNode = new Int32Array(children);
    for (let n = 0; n < nodes; n++) {
      const sorted = [...this.goto[n]].sort((a, b) => a[0] - b[0]);
      sorted.forEach(([code, child], i) => {
        this.childCode[childStart[n] + i] = code;
        this.childNode[childStart[n] + i] = child;
      });
    }
    this.failLink = Int32Array.from(this.fail);
    this.nextOutput = Int32Array.from(this.dictionaryLink);
    this.firstOutput = Int32Array.from(this.outputs, (own, n) =>
      own.length > 0 ? n : this.dictionaryLink[n],
    );
    const outputStart = (this.outputStart = new Int32Array(nodes + 1));
    const ids: number[] = [];
    for (let n = 0; n < nodes; n++) {
      outputStart[n] = ids.length;
      ids.push(...this.outputs[n]);
    }
    outputStart[nodes] = ids.length;
    this.outputIds = Int32Array.from(ids);
    this.flat = this.phrases.map((phrase) => {
      const first = phrase.pieces[0];
      return {
        firstLength: first.text.length,
        firstBoundedStart: first.boundedStart,
        firstOpenEnd: first.openEnd,
        firstBoundedEnd: first.boundedEnd,
        rest: phrase.pieces.slice(1),
        maxGap: phrase.maxGap,
        payload: phrase.payload,
      };
    });
  }

  /** The child of a non-root node for a code unit, or −1 (a scan of a few sorted codes, else a binary search). */
  private child(node: number, code: number): number {
    const codes = this.childCode;
    let low = this.childStart[node];
    let high = this.childStart[node + 1];
    while (high - low > 8) {
      const middle = (low + high) >>> 1;
      const at = codes[middle];
      if (at === code) return this.childNode[middle];
      if (at < code) low = middle + 1;
      else high = middle;
    }
    for (let c = low; c < high; c++) {
      const at = codes[c];
      if (at === code) return this.childNode[c];
      if (at > code) return -1;
    }
    return -1;
  }

  match(text: string): PhraseHit<P>[] {
    const hits: PhraseHit<P>[] = [];
    const { rootNext, failLink, firstOutput, nextOutput, outputStart, outputIds } = this;
    let node = 0;
    for (let i = 0, n = text.length; i < n; i++) {
      const code = text.charCodeAt(i);
      let next = node === 0 ? rootNext[code] || -1 : this.child(node, code);
      while (next === -1 && node !== 0) {
        node = failLink[node];
        next = node === 0 ? rootNext[code] || -1 : this.child(node, code);
      }
      node = next === -1 ? 0 : next;
      for (let out = firstOutput[node]; out > 0; out = nextOutput[out]) {
        for (let o = outputStart[out], end = outputStart[out + 1]; o < end; o++)
          this.complete(text, outputIds[o], i + 1, hits);
      }
    }
    return hits;
  }

  /** The first piece of phrase `id` ends at `firstEnd`; check its edges and find the remaining pieces. */
  private complete(text: string, id: number, firstEnd: number, hits: PhraseHit<P>[]): void {
    const phrase = this.flat[id];
    const start = firstEnd - phrase.firstLength;
    if (phrase.firstBoundedStart && isWordChar(text, start - 1)) return;
    let end = firstEnd;
    if (phrase.firstOpenEnd) end = openEnd(text, end);
    else if (phrase.firstBoundedEnd && isWordChar(text, end)) return;
    const rest = phrase.rest;
    if (rest.length === 0) {
      hits.push({ start, end, gap: null, payload: phrase.payload });
      return;
    }
    const gapStart = end;
    let gapEnd = end;
    for (let p = 0; p < rest.length; p++) {
      const piece = rest[p];
      const found = this.findPiece(text, piece, end, phrase.maxGap);
      if (found < 0) return;
      gapEnd = found;
      end = pieceEnd(text, piece, found + piece.text.length);
      if (end < 0) return;
    }
    hits.push({ start, end, gap: [gapStart, gapEnd], payload: phrase.payload });
  }

  private findPiece(text: string, piece: Piece, from: number, maxGap: number): number {
    const stopper = this.stopper;
    let at = text.indexOf(piece.text, from);
    while (at >= 0 && at - from <= maxGap) {
      for (let k = from; k < at; k++) if (stopper[text.charCodeAt(k)] === 1) return -1;
      if (!piece.boundedStart || !isWordChar(text, at - 1)) return at;
      at = text.indexOf(piece.text, at + 1);
    }
    return -1;
  }
}

/** An open-ended English piece (`flicker*`) runs on over any following letters. */
function openEnd(text: string, end: number): number {
  while (end < text.length) {
    const code = text.charCodeAt(end);
    if (code < 97 || code > 122) break;
    end++;
  }
  return end;
}

function pieceEnd(text: string, piece: Piece, end: number): number {
  if (piece.openEnd) return openEnd(text, end);
  if (piece.boundedEnd && isWordChar(text, end)) return -1;
  return end;
}
