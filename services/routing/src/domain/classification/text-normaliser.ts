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

function toSimplifiedCharacters(text: string): { text: string; converted: number } {
  let converted = 0;
  let codes: Uint16Array | null = null;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (NEEDS_SLOW_PATH[code] === 1) return toSimplifiedSlow(text);
    const mapped = BMP_SIMPLIFIED[code];
    if (mapped === 0) continue;
    if (codes === null) {
      codes = new Uint16Array(text.length);
      for (let j = 0; j < text.length; j++) codes[j] = text.charCodeAt(j);
    }
    codes[i] = mapped;
    converted++;
  }
  if (codes === null) return { text, converted };
  let out = '';
  for (let start = 0; start < codes.length; start += 4096)
    out += String.fromCharCode(...codes.subarray(start, start + 4096));
  return { text: out, converted };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const DIALECT_REPLACEMENTS = new Map<string, string>(
  ZH_DIALECT_FORMS.map(([dialect, mandarin]) => [
    toSimplifiedCharacters(dialect.toLowerCase()).text,
    toSimplifiedCharacters(mandarin).text,
  ]),
);
const DIALECT_PATTERN = new RegExp(
  [...DIALECT_REPLACEMENTS.keys()]
    .sort((a, b) => b.length - a.length)
    .map(escapeRegExp)
    .join('|'),
  'g',
);

const LATIN_WORD = /[a-z]{3,}/g;
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
  return simplified.replace(DIALECT_PATTERN, (form) => DIALECT_REPLACEMENTS.get(form) ?? form);
}

const NON_ASCII = /[^\x00-\x7f]/;

function countHan(text: string): number {
  let han = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (
      (code >= 0x4e00 && code <= 0x9fff) ||
      (code >= 0x3400 && code <= 0x4dbf) ||
      (code >= 0xf900 && code <= 0xfaff)
    )
      han++;
  }
  return han;
}

export function normaliseComplaint(raw: string): NormalisedComplaint {
  const ascii = !NON_ASCII.test(raw);
  const lowered = (ascii ? raw : raw.normalize('NFKC')).toLowerCase().replace(/[‘’`´]/g, "'");
  const latinWords = (lowered.match(LATIN_WORD) ?? []).filter((word) => !LATIN_IN_CHINESE.has(word)).length;
  const han = ascii ? 0 : countHan(lowered);
  if (han === 0) return { text: lowered, language: detectLanguage(0, latinWords, 0, 0) };
  const { text: simplified, converted } = toSimplifiedCharacters(lowered);
  let dialectForms = 0;
  const text = simplified.replace(DIALECT_PATTERN, (form) => {
    dialectForms++;
    return DIALECT_REPLACEMENTS.get(form) ?? form;
  });
  return { text, language: detectLanguage(han, latinWords, converted, dialectForms) };
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
