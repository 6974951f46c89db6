// Brings a complaint into the single form the lexicons are written in: NFKC, lower case, Simplified characters, Mandarin for common Cantonese words.
import { ZH_DIALECT_FORMS } from './lexicon-zh';

/** The part of opencc-js we read: its character dictionaries, "trad simp|trad simp|…" strings. */
interface OpenccDictionaries {
  readonly Locale: {
    readonly from: Readonly<Record<string, readonly (readonly string[])[]>>;
    readonly to: Readonly<Record<string, readonly (readonly string[])[]>>;
  };
}

// opencc-js publishes ESM-only typings, which a CommonJS package cannot import; its CommonJS build holds the same data.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const opencc = require('opencc-js/t2cn') as OpenccDictionaries;

/**
 * One character in, one character out. Phrase-level conversions are skipped on purpose: a character map is
 * ~20× faster than OpenCC's segmenting converter and every lexicon phrase is normalised through the same map.
 */
function singleCharacterMap(groups: readonly (readonly string[])[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const group of groups) {
    for (const dictionary of group) {
      for (const entry of dictionary.split('|')) {
        const [from, to] = entry.split(' ');
        if (from && to && [...from].length === 1 && [...to].length === 1 && from !== to) map.set(from, to);
      }
    }
  }
  return map;
}

function buildTraditionalToSimplified(): Map<string, string> {
  const variants = singleCharacterMap([...(opencc.Locale.from.tw ?? []), ...(opencc.Locale.from.hk ?? [])]);
  const toSimplified = singleCharacterMap(opencc.Locale.to.cn ?? []);
  const map = new Map<string, string>();
  for (const source of new Set([...variants.keys(), ...toSimplified.keys()])) {
    const standard = variants.get(source) ?? source;
    const simplified = toSimplified.get(standard) ?? standard;
    if (simplified !== source) map.set(source, simplified);
  }
  // OpenCC keeps 帳 as 帐; mainland bills say 账单, and one spelling keeps the lexicon short.
  map.set('帳', '账').set('帐', '账');
  // 么 is also the everyday Simplified character of 什么/怎么; OpenCC would turn it into 幺.
  map.delete('么');
  return map;
}

const TRADITIONAL_TO_SIMPLIFIED = buildTraditionalToSimplified();

const TRADITIONAL_CHARACTER = new RegExp(
  `[${[...TRADITIONAL_TO_SIMPLIFIED.keys()].map((ch) => (/[\\\]^-]/.test(ch) ? `\\${ch}` : ch)).join('')}]`,
  'gu',
);

/**
 * The same map as a table over UTF-16 code units for the common case (one BMP character to one BMP character).
 * A text holding a surrogate or a BMP character whose Simplified form is outside the BMP takes the regular
 * expression path instead, so both paths give the same result.
 */
const BMP_SIMPLIFIED = new Uint16Array(0x10000);
const NEEDS_SLOW_PATH = new Uint8Array(0x10000);
for (let code = 0xd800; code <= 0xdfff; code++) NEEDS_SLOW_PATH[code] = 1;
for (const [from, to] of TRADITIONAL_TO_SIMPLIFIED) {
  if (from.length !== 1) continue;
  if (to.length === 1) BMP_SIMPLIFIED[from.charCodeAt(0)] = to.charCodeAt(0);
  else NEEDS_SLOW_PATH[from.charCodeAt(0)] = 1;
}

function toSimplifiedSlow(text: string): { text: string; converted: number } {
  let converted = 0;
  const out = text.replace(TRADITIONAL_CHARACTER, (ch) => {
    converted++;
    return TRADITIONAL_TO_SIMPLIFIED.get(ch) ?? ch;
  });
  return { text: out, converted };
}

const UTF16 = new TextDecoder('utf-16le', { ignoreBOM: true });
/**
 * Code units being rewritten, reused by every call (allocating a typed array per complaint costs more than the
 * rewriting). Decoded back into a string with TextDecoder: the texts written here hold no lone surrogates, so UTF-16
 * decoding gives the code units back exactly; ignoreBOM keeps a leading U+FEFF as text.
 */
let units = new Uint16Array(1024);

function unitsFor(length: number): Uint16Array {
  if (units.length < length) units = new Uint16Array(Math.max(length, units.length * 2));
  return units;
}

function decodeUnits(length: number): string {
  return UTF16.decode(units.subarray(0, length));
}

function toSimplifiedCharacters(text: string): { text: string; converted: number } {
  let converted = 0;
  const codes = unitsFor(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (NEEDS_SLOW_PATH[code] === 1) return toSimplifiedSlow(text);
    const mapped = BMP_SIMPLIFIED[code];
    if (mapped === 0) codes[i] = code;
    else {
      codes[i] = mapped;
      converted++;
    }
  }
  return { text: converted === 0 ? text : decodeUnits(text.length), converted };
}

const DIALECT_REPLACEMENTS = new Map<string, string>(
  ZH_DIALECT_FORMS.map(([dialect, mandarin]) => [
    toSimplifiedCharacters(dialect.toLowerCase()).text,
    toSimplifiedCharacters(mandarin).text,
  ]),
);
/**
 * Dialect forms are replaced left to right, the longest form starting at a position first, scanning on after it
 * (what a longest-first regular-expression alternation does). Forms are listed by first code unit, longest first,
 * so most characters cost one table read.
 */
const DIALECT_BY_FIRST_UNIT = new Map<number, string[]>();
for (const form of [...DIALECT_REPLACEMENTS.keys()].sort((a, b) => b.length - a.length)) {
  const first = form.charCodeAt(0);
  const forms = DIALECT_BY_FIRST_UNIT.get(first);
  if (forms) forms.push(form);
  else DIALECT_BY_FIRST_UNIT.set(first, [form]);
}
const MAY_START_DIALECT = new Uint8Array(0x10000);
for (const first of DIALECT_BY_FIRST_UNIT.keys()) MAY_START_DIALECT[first] = 1;

function replaceDialectForms(text: string): { text: string; forms: number } {
  let out = '';
  let copiedUpTo = 0;
  let forms = 0;
  for (let i = 0; i < text.length;) {
    if (MAY_START_DIALECT[text.charCodeAt(i)] === 1) {
      const form = DIALECT_BY_FIRST_UNIT.get(text.charCodeAt(i))!.find((f) => text.startsWith(f, i));
      if (form !== undefined) {
        out += text.slice(copiedUpTo, i) + DIALECT_REPLACEMENTS.get(form)!;
        forms++;
        i += form.length;
        copiedUpTo = i;
        continue;
      }
    }
    i++;
  }
  return forms === 0 ? { text, forms } : { text: out + text.slice(copiedUpTo), forms };
}

// Units and acronyms that Chinese complaints quote without being English text.
const LATIN_IN_CHINESE = new Set([
  'ups',
  'plc',
  'led',
  'app',
  'kva',
  'kwh',
  'thd',
  'sms',
  'cnc',
  'vip',
  'atm',
  'usb',
  'wifi',
]);

export type DetectedLanguage = 'zh-Hans' | 'zh-Hant' | 'en' | 'mixed';

export interface NormalisedComplaint {
  /** Lower-cased, NFKC, Simplified, Cantonese function words in Mandarin; all offsets refer to this. */
  readonly text: string;
  readonly language: DetectedLanguage;
}

/** Normalises a phrase from a lexicon table exactly as complaint text is normalised, so both sides meet. */
export function normalisePhrase(phrase: string): string {
  const simplified = toSimplifiedCharacters(phrase.normalize('NFKC').toLowerCase()).text;
  return replaceDialectForms(simplified).text;
}

function isHanCode(code: number): boolean {
  return (
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0xf900 && code <= 0xfaff)
  );
}

function countHan(text: string): number {
  let han = 0;
  for (let i = 0; i < text.length; i++) if (isHanCode(text.charCodeAt(i))) han++;
  return han;
}

/**
 * Per UTF-16 code unit: what NFKC followed by lower-casing makes of it, where that is one code unit whatever the
 * text around it (NOT_SIMPLE elsewhere). Only characters that map to a starter which never combines with its neighbours
 * qualify: ASCII, Latin-1, general and CJK punctuation, the fullwidth ASCII forms (，？！（）…) and the CJK unified
 * ideographs, each checked against String.prototype.normalize / toLowerCase at load. A text made of these alone is
 * normalised character by character, exactly as the two calls would; any other character takes the calls.
 */
const NOT_SIMPLE = 0xffff; // a noncharacter, and no character in the ranges below maps to it
const SIMPLE_FORM = new Uint16Array(0x10000).fill(NOT_SIMPLE);
const COMBINING = /\p{M}/u;
for (const [from, to] of [
  [0x00, 0xff],
  [0x2000, 0x206f],
  [0x3000, 0x303f],
  [0xff01, 0xff5e],
  [0xffe0, 0xffe6],
] as const) {
  for (let code = from; code <= to; code++) {
    const ch = String.fromCharCode(code);
    const form = ch.normalize('NFKC').toLowerCase();
    if (form.length !== 1 || COMBINING.test(ch) || COMBINING.test(form)) continue;
    const target = form.charCodeAt(0);
    // The form must itself be a plain starter of these same kinds (no Hangul or kana that could compose).
    if (!(
      target <= 0xff ||
      (target >= 0x2000 && target <= 0x206f) ||
      (target >= 0x3000 && target <= 0x303f) ||
      isHanCode(target)
    ))
      continue;
    SIMPLE_FORM[code] = target;
  }
}
// The unified ideograph blocks have no decompositions, no case and no combining characters: checked as one block.
for (const [from, to] of [
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
] as const) {
  let block = '';
  for (let code = from; code <= to; code++) block += String.fromCharCode(code);
  if (block.normalize('NFKC') === block && block.toLowerCase() === block && !COMBINING.test(block))
    for (let code = from; code <= to; code++) SIMPLE_FORM[code] = code;
}
/** ‘ ’ ` ´ become an apostrophe. */
const QUOTE_LIKE = /[‘’`´]/g;
function isQuoteLike(code: number): boolean {
  return code === 0x2018 || code === 0x2019 || code === 0x60 || code === 0xb4;
}

const LATIN_IN_CHINESE_LONGEST = Math.max(...[...LATIN_IN_CHINESE].map((word) => word.length));

/** Runs of three or more a–z letters (what /[a-z]{3,}/g finds), less the units and acronyms Chinese text quotes. */
function countLatinWords(text: string): number {
  let words = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const code = text.charCodeAt(i);
    if (code < 97 || code > 122) {
      i++;
      continue;
    }
    let end = i + 1;
    while (end < n) {
      const next = text.charCodeAt(end);
      if (next < 97 || next > 122) break;
      end++;
    }
    const length = end - i;
    if (length >= 3 && !(length <= LATIN_IN_CHINESE_LONGEST && LATIN_IN_CHINESE.has(text.slice(i, end))))
      words++;
    i = end;
  }
  return words;
}

export function normaliseComplaint(raw: string): NormalisedComplaint {
  // One pass over the raw text: NFKC + lower case character by character where every character allows it.
  let quotes = false;
  let han = 0;
  let changed = false;
  let ascii = true;
  let simple = true;
  const codes = unitsFor(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const code = raw.charCodeAt(i);
    const form = SIMPLE_FORM[code];
    if (form === NOT_SIMPLE) {
      simple = false;
      break;
    }
    codes[i] = form;
    if (form !== code) changed = true;
    if (code > 0x7f) ascii = false;
    if (isQuoteLike(form)) quotes = true;
    if (isHanCode(form)) han++;
  }
  let lowered: string;
  if (!simple) {
    lowered = raw.normalize('NFKC').toLowerCase();
    quotes = true;
    han = countHan(lowered);
  } else if (!changed) lowered = raw;
  else lowered = ascii ? raw.toLowerCase() : decodeUnits(raw.length);
  if (quotes) lowered = lowered.replace(QUOTE_LIKE, "'");
  const latinWords = countLatinWords(lowered);
  if (han === 0) return { text: lowered, language: detectLanguage(0, latinWords, 0, 0) };
  const { text: simplified, converted } = toSimplifiedCharacters(lowered);
  const { text, forms } = replaceDialectForms(simplified);
  return { text, language: detectLanguage(han, latinWords, converted, forms) };
}

function detectLanguage(
  han: number,
  latinWords: number,
  traditional: number,
  dialectForms: number,
): DetectedLanguage {
  if (han === 0) return 'en';
  if (han >= 6 && latinWords >= 4) return 'mixed';
  if (han < 6 && latinWords >= 3) return 'en';
  // Cantonese is written with Traditional characters in Hong Kong, so its particles count as Traditional.
  const traditionalShare = (traditional + dialectForms) / han;
  return traditionalShare >= 0.04 || traditional + dialectForms >= 3 ? 'zh-Hant' : 'zh-Hans';
}
