// Reads the numbers a customer quotes (volts, THD %, unbalance %, Hz, Plt) and judges them against the power-quality limits.
import type { PowerQualityLimits, VoltageBand } from './power-quality-limits';
import { voltageBounds } from './power-quality-limits';
import type { Subtype } from './taxonomy';

export interface MeasuredFinding {
  /** null: the value was read and is within limits, which is worth a reason but no weight. */
  readonly subtype: Subtype | null;
  readonly weight: number;
  /** Offset in the normalised text, so clause weighting (negation, contrast) can apply. */
  readonly at: number;
  readonly reason: string;
}

const VOLT_WITH_UNIT = /(?<![\d.])(\d{2,3}(?:\.\d+)?)\s*(?:v(?![a-z])|volts?\b|伏特?)/g;
const VOLT_IN_HAN_NUMERALS = /([一二两三四五六七八九十百]{2,})[几多]?\s*伏/g;
// A bare 150–300 in a sentence about voltage ("电压能到250多", "一会儿230一会儿190").
const BARE_VOLTAGE =
  /(?<![\d.:/-])(1[5-9]\d|2\d\d)(?![\d.:]|\s*(?:元|块|度|户|号|楼|室|栋|幢|单元|弄|路|巷|kw|a\b|%|年|月|日|天|小时|分|米|公里|人|台|个|次|只|kva|w\b))/g;
const VOLTAGE_CONTEXT = /电压|伏|volt|multimeter|万用表|电压表|measured|实测|测得|量到|量得/;
const PHASE_CONTEXT = /[abcrstuvw]相|[一两二三]相|相电压|各相|另外两相|phases?\b|\bl[123]\b/;
const THD = /(?:谐波|畸变率|失真率|thd|distortion)[^。；;!?！？\n]{0,16}?(\d+(?:\.\d+)?)\s*%/g;
const UNBALANCE_PCT = /(?:不平衡|unbalance|imbalance)[^。；;!?！？\n]{0,16}?(\d+(?:\.\d+)?)\s*%/g;
const FREQUENCY = /(?<![\d.])(\d{2}(?:\.\d+)?)\s*hz\b/g;
const PLT = /\bplt\b[^0-9\n]{0,8}(\d+(?:\.\d+)?)/g;
const MEDIUM_VOLTAGE = /(?:6|10)\s*kv/;
const SWING_CONTEXT =
  /between|fluctuat|swing|varies|varying|up and down|之间|波动|忽高忽低|时高时低|来回|跳动|一会/;
/** Readings this far apart, quoted as a range, describe a swing rather than one bad level. */
const SWING_SPREAD_VOLTS = 25;
const SENTENCE_END = /[。！？!?；;\n]/;

const HAN_DIGITS: Readonly<Record<string, number>> = {
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};

/** 一百九十 → 190, 二十 → 20; enough for voltages read out loud. */
function parseHanNumeral(numeral: string): number {
  let total = 0;
  let digit = 0;
  for (const ch of numeral) {
    if (ch === '百') {
      total += (digit || 1) * 100;
      digit = 0;
    } else if (ch === '十') {
      total += (digit || 1) * 10;
      digit = 0;
    } else digit = HAN_DIGITS[ch] ?? 0;
  }
  return total + digit;
}

interface VoltageReading {
  readonly value: number;
  readonly at: number;
}

function sentenceAround(text: string, at: number): string {
  let from = at;
  while (from > 0 && !SENTENCE_END.test(text[from - 1])) from--;
  let to = at;
  while (to < text.length && !SENTENCE_END.test(text[to])) to++;
  return text.slice(from, to);
}

function voltageReadings(text: string): VoltageReading[] {
  const readings: VoltageReading[] = [];
  // Each pattern is skipped when the text lacks what every one of its matches contains (a unit; voltage words).
  const hasFu = text.includes('伏');
  if (hasFu || text.includes('v'))
    for (const m of text.matchAll(VOLT_WITH_UNIT)) readings.push({ value: Number(m[1]), at: m.index });
  if (hasFu)
    for (const m of text.matchAll(VOLT_IN_HAN_NUMERALS))
      readings.push({ value: parseHanNumeral(m[1]), at: m.index });
  // A bare number counts only in a sentence with voltage context, so none can where the whole text has none.
  if (!VOLTAGE_CONTEXT.test(text)) return readings;
  for (const m of text.matchAll(BARE_VOLTAGE)) {
    if (readings.some((r) => Math.abs(r.at - m.index) < 4)) continue;
    if (VOLTAGE_CONTEXT.test(sentenceAround(text, m.index)))
      readings.push({ value: Number(m[1]), at: m.index });
  }
  return readings;
}

interface JudgedReading extends VoltageReading {
  readonly band: VoltageBand;
  readonly min: number;
  readonly max: number;
  readonly verdict: 'low' | 'high' | 'within';
}

/** Cheap test before the regexes: most complaints quote no measurement at all. */
const MAY_QUOTE_A_VALUE = /\d|伏/;

export function readMeasuredValues(text: string, limits: PowerQualityLimits): MeasuredFinding[] {
  const findings: MeasuredFinding[] = [];
  if (!MAY_QUOTE_A_VALUE.test(text)) return findings;
  const judged: JudgedReading[] = [];
  for (const reading of voltageReadings(text)) {
    const band = limits.voltageBands.find((b) => reading.value >= b.readsFrom && reading.value <= b.readsTo);
    if (!band) continue;
    const { min, max } = voltageBounds(band);
    const verdict = reading.value < min ? 'low' : reading.value > max ? 'high' : 'within';
    judged.push({ value: reading.value, at: reading.at, band, min, max, verdict });
  }
  const lows = judged.filter((j) => j.verdict === 'low');
  const highs = judged.filter((j) => j.verdict === 'high');
  // Several readings on named phases describe a spread between phases, not one bad level.
  const acrossPhases = judged.length >= 2 && PHASE_CONTEXT.test(text);
  const spread =
    judged.length >= 2
      ? Math.max(...judged.map((j) => j.value)) - Math.min(...judged.map((j) => j.value))
      : 0;
  const quotedAsRange =
    spread >= SWING_SPREAD_VOLTS && (lows.length > 0 || highs.length > 0) && SWING_CONTEXT.test(text);
  const swinging = (lows.length > 0 && highs.length > 0) || quotedAsRange;
  const levelWeight = acrossPhases ? 2 : swinging ? 1.5 : 4;
  for (const j of judged) {
    const limitText = `${j.band.system}: ${j.min}–${j.max} V, ${j.band.standard}`;
    if (j.verdict === 'low') {
      findings.push({
        subtype: 'voltage_low',
        weight: levelWeight,
        at: j.at,
        reason: `measured ${j.value} V < ${j.min} V (${limitText}) → voltage_low`,
      });
    } else if (j.verdict === 'high') {
      findings.push({
        subtype: 'voltage_high',
        weight: levelWeight,
        at: j.at,
        reason: `measured ${j.value} V > ${j.max} V (${limitText}) → voltage_high`,
      });
    } else {
      findings.push({
        subtype: null,
        weight: 0,
        at: j.at,
        reason: `measured ${j.value} V within ${j.min}–${j.max} V (${j.band.standard})`,
      });
    }
  }
  if (swinging && !acrossPhases) {
    const first = judged[0];
    findings.push({
      subtype: 'fluctuation_flicker',
      weight: 3,
      at: first.at,
      reason: `measured values swing over ${spread} V across the ${first.band.system} limits → fluctuation_flicker`,
    });
  }
  if (acrossPhases) {
    if (spread >= 10) {
      findings.push({
        subtype: 'unbalance',
        weight: 3,
        at: judged[0].at,
        reason: `phase readings differ by ${spread} V → unbalance`,
      });
    }
  }
  const thdLimit = MEDIUM_VOLTAGE.test(text)
    ? limits.harmonics.thdPctMediumVoltage
    : limits.harmonics.thdPctLowVoltage;
  const hasPercent = text.includes('%');
  for (const m of hasPercent ? text.matchAll(THD) : []) {
    const value = Number(m[1]);
    const over = value > thdLimit;
    findings.push({
      subtype: 'harmonics',
      weight: over ? 4 : 1,
      at: m.index,
      reason: `measured THD ${value}% ${over ? '>' : '≤'} ${thdLimit}% (${limits.harmonics.standard}) → harmonics`,
    });
  }
  for (const m of hasPercent ? text.matchAll(UNBALANCE_PCT) : []) {
    const value = Number(m[1]);
    const over = value > limits.unbalance.normalPct;
    findings.push({
      subtype: 'unbalance',
      weight: over ? 4 : 1,
      at: m.index,
      reason: `measured unbalance ${value}% ${over ? '>' : '≤'} ${limits.unbalance.normalPct}% (${limits.unbalance.standard}) → unbalance`,
    });
  }
  for (const m of text.includes('hz') ? text.matchAll(FREQUENCY) : []) {
    const value = Number(m[1]);
    const deviation = Math.abs(value - limits.frequency.nominalHz);
    if (value < 40 || value > 70 || deviation <= limits.frequency.toleranceHz) continue;
    findings.push({
      subtype: 'fluctuation_flicker',
      weight: 3,
      at: m.index,
      reason: `measured ${value} Hz, off ${limits.frequency.nominalHz} Hz by more than ±${limits.frequency.toleranceHz} Hz (${limits.frequency.standard}) → fluctuation_flicker`,
    });
  }
  for (const m of text.includes('plt') ? text.matchAll(PLT) : []) {
    const value = Number(m[1]);
    if (value <= limits.flicker.plt) continue;
    findings.push({
      subtype: 'fluctuation_flicker',
      weight: 4,
      at: m.index,
      reason: `measured Plt ${value} > ${limits.flicker.plt} (${limits.flicker.standard}) → fluctuation_flicker`,
    });
  }
  return findings;
}
