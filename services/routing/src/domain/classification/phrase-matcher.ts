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

export class PhraseMatcher<P> {
  private readonly phrases: CompiledPhrase<P>[] = [];
  private readonly goto: Map<number, number>[] = [new Map<number, number>()];
  private readonly fail: number[] = [0];
  /** Phrase ids whose first piece ends at this node (own outputs only; the dictionary link chains the rest). */
  private readonly outputs: number[][] = [[]];
  private readonly dictionaryLink: number[] = [-1];
  private readonly stoppers: Set<string>;
  /** The root's transitions as a flat table: most characters fail at the root, so this is the hot path. */
  private readonly rootNext = new Int32Array(0x10000);

  constructor(
    entries: readonly { readonly phrase: string; readonly payload: P }[],
    private readonly options: MatcherOptions,
  ) {
    this.stoppers = new Set(options.gapStoppers);
    for (const entry of entries) this.add(entry.phrase, entry.payload);
    this.buildFailureLinks();
    for (const [code, child] of this.goto[0]) this.rootNext[code] = child;
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

  match(text: string): PhraseHit<P>[] {
    const hits: PhraseHit<P>[] = [];
    const { goto, fail, outputs, dictionaryLink } = this;
    const rootNext = this.rootNext;
    let node = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      let next: number | undefined = node === 0 ? rootNext[code] || undefined : goto[node].get(code);
      while (next === undefined && node !== 0) {
        node = fail[node]!;
        next = node === 0 ? rootNext[code] || undefined : goto[node].get(code);
      }
      node = next ?? 0;
      for (
        let out = outputs[node].length > 0 ? node : dictionaryLink[node];
        out > 0;
        out = dictionaryLink[out]!
      ) {
        for (const id of outputs[out]) this.complete(text, id, i + 1, hits);
      }
    }
    return hits;
  }

  /** The first piece of phrase `id` ends at `firstEnd`; check its edges and find the remaining pieces. */
  private complete(text: string, id: number, firstEnd: number, hits: PhraseHit<P>[]): void {
    const phrase = this.phrases[id];
    const first = phrase.pieces[0];
    const start = firstEnd - first.text.length;
    if (first.boundedStart && isWordChar(text, start - 1)) return;
    let end = this.pieceEnd(text, first, firstEnd);
    if (end < 0) return;
    if (phrase.pieces.length === 1) {
      hits.push({ start, end, gap: null, payload: phrase.payload });
      return;
    }
    const gapStart = end;
    let gapEnd = end;
    for (let p = 1; p < phrase.pieces.length; p++) {
      const piece = phrase.pieces[p];
      const found = this.findPiece(text, piece, end, phrase.maxGap);
      if (found < 0) return;
      gapEnd = found;
      end = this.pieceEnd(text, piece, found + piece.text.length);
      if (end < 0) return;
    }
    hits.push({ start, end, gap: [gapStart, gapEnd], payload: phrase.payload });
  }

  private pieceEnd(text: string, piece: Piece, end: number): number {
    if (piece.openEnd) {
      while (end < text.length) {
        const code = text.charCodeAt(end);
        if (code < 97 || code > 122) break;
        end++;
      }
      return end;
    }
    if (piece.boundedEnd && isWordChar(text, end)) return -1;
    return end;
  }

  private findPiece(text: string, piece: Piece, from: number, maxGap: number): number {
    let at = text.indexOf(piece.text, from);
    while (at >= 0 && at - from <= maxGap) {
      let crossesStopper = false;
      for (let k = from; k < at; k++) {
        if (this.stoppers.has(text[k])) {
          crossesStopper = true;
          break;
        }
      }
      if (crossesStopper) return -1;
      if (!piece.boundedStart || !isWordChar(text, at - 1)) return at;
      at = text.indexOf(piece.text, at + 1);
    }
    return -1;
  }
}
