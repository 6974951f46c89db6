// Risk signals in a complaint text that raise its grade: media exposure (threatened or happened) and regulator channels.
export type MediaSignal = 'none' | 'threatened' | 'exposed';

export interface RiskSignals {
  media: MediaSignal;
  regulator: boolean;
  reasons: string[];
}

/** Phrases, lower-cased; Simplified, Traditional and English forms side by side. */
export const RISK_LEXICON = {
  mediaExposed: [
    '已经曝光',
    '已曝光',
    '已經曝光',
    '上了新闻',
    '上了新聞',
    '已经发到网上',
    '已經發到網上',
    '已经上热搜',
    '上了热搜',
    '已经报道',
    '已經報道',
    '已被报道',
    'already on the news',
    'has gone viral',
    'went viral',
    'already posted it online',
    'reported in the newspaper',
    'the newspaper ran',
    'on tv last night',
  ],
  mediaThreat: [
    '曝光',
    '媒体',
    '媒體',
    '记者',
    '記者',
    '电视台',
    '電視台',
    '报社',
    '報社',
    '微博',
    '抖音',
    '网上发',
    '網上發',
    '发到网上',
    '发朋友圈',
    '热搜',
    '报料',
    '爆料',
    '傳媒',
    '传媒',
    'the media',
    'journalist',
    'reporter',
    'newspaper',
    'tv station',
    'television',
    'go public',
    'social media',
    'post it online',
    'twitter',
    'facebook',
    'weibo',
  ],
  regulator: [
    '12398',
    '12345',
    '能源局',
    '能源監管',
    '能源监管',
    '监管部门',
    '監管部門',
    '市长热线',
    '市長熱線',
    '消协',
    '消委会',
    '消委會',
    '信访',
    '信訪',
    '投诉到上级',
    '政府热线',
    'regulator',
    'energy regulator',
    'ombudsman',
    'consumer council',
    "mayor's hotline",
    'city hotline',
    'government hotline',
  ],
};

const NEGATION_BEFORE =
  /(不会|不會|不想|不打算|没有|沒有|无意|無意|don't|do not|won't|will not|not going to|no intention)[^。！？.!?]{0,20}$/i;

function find(text: string, phrases: string[]): string | undefined {
  for (const phrase of phrases) {
    let from = 0;
    for (;;) {
      const at = text.indexOf(phrase, from);
      if (at < 0) break;
      // "I don't want to go to the media" is not a threat.
      if (!NEGATION_BEFORE.test(text.slice(Math.max(0, at - 32), at))) return phrase;
      from = at + phrase.length;
    }
  }
  return undefined;
}

export function detectRiskSignals(text: string, channel: string): RiskSignals {
  const lower = text.toLowerCase();
  const reasons: string[] = [];
  let media: MediaSignal = 'none';
  const exposed = find(lower, RISK_LEXICON.mediaExposed);
  const threat = exposed ? undefined : find(lower, RISK_LEXICON.mediaThreat);
  if (exposed) {
    media = 'exposed';
    reasons.push(`media exposure happened: "${exposed}"`);
  } else if (threat) {
    media = 'threatened';
    reasons.push(`media exposure threatened: "${threat}"`);
  }
  const regulatorPhrase = find(lower, RISK_LEXICON.regulator);
  const regulatorChannel = /^partner:(12398|12345)\b/.test(channel);
  if (regulatorPhrase) reasons.push(`regulator channel mentioned: "${regulatorPhrase}"`);
  if (regulatorChannel) reasons.push(`arrived through regulator channel ${channel}`);
  return { media, regulator: Boolean(regulatorPhrase) || regulatorChannel, reasons };
}
