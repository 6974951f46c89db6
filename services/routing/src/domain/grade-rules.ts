// The grade (一般, 重要, 重大, 特殊) from urgency, segment, risk signals and repeats: a table of rules, highest grade wins.
import { GRADES, type Grade, type Segment } from '@complaints/contracts';
import type { RiskSignals } from './risk-signals';

export interface GradeFacts {
  urgent: boolean;
  segment: Segment;
  signals: RiskSignals;
  /** Earlier closed complaints of this customer on the same matter within the window. */
  repeatCount: number;
  supervisionThreshold: number;
}

export interface GradeRule {
  id: string;
  applies: (f: GradeFacts) => boolean;
  /** The grade is at least this… */
  atLeast?: Grade;
  /** …and/or raised this many levels above what the other rules gave. */
  raiseBy?: number;
  reason: string;
}

export const GRADE_RULES: GradeRule[] = [
  {
    id: 'urgent',
    applies: (f) => f.urgent,
    atLeast: 'major',
    reason: 'urgent: safety hazard, life support or a whole community out',
  },
  { id: 'vip', applies: (f) => f.segment === 'vip', atLeast: 'important', reason: 'VIP customer' },
  {
    id: 'large-account',
    applies: (f) => f.segment === 'large',
    atLeast: 'important',
    reason: 'large account',
  },
  {
    id: 'regulator',
    applies: (f) => f.signals.regulator,
    atLeast: 'important',
    reason: 'regulator channel (12398 / 12345)',
  },
  {
    id: 'media-threat',
    applies: (f) => f.signals.media === 'threatened',
    atLeast: 'major',
    reason: 'media exposure threatened',
  },
  {
    id: 'media-exposed',
    applies: (f) => f.signals.media === 'exposed',
    atLeast: 'special',
    reason: 'media exposure happened',
  },
  {
    id: 'urgent-and-exposed',
    applies: (f) => f.urgent && (f.signals.media !== 'none' || f.segment !== 'ordinary'),
    atLeast: 'special',
    reason: 'urgent for a key account or under media attention',
  },
  {
    id: 'repeat',
    applies: (f) => f.repeatCount >= 1,
    raiseBy: 1,
    reason: 'repeat complaint on the same matter',
  },
  {
    id: 'supervision',
    applies: (f) => f.repeatCount >= f.supervisionThreshold,
    atLeast: 'major',
    reason: 'repeated complaint: leadership supervision (督办)',
  },
];

const rank = (grade: Grade) => GRADES.indexOf(grade);
const top = GRADES.length - 1;

export function gradeComplaint(
  facts: GradeFacts,
  rules: GradeRule[] = GRADE_RULES,
): { grade: Grade; reasons: string[] } {
  let level = 0;
  const reasons: string[] = [];
  for (const rule of rules.filter((r) => r.atLeast && r.applies(facts))) {
    level = Math.max(level, rank(rule.atLeast!));
    reasons.push(`${rule.reason} → at least ${rule.atLeast}`);
  }
  for (const rule of rules.filter((r) => r.raiseBy && r.applies(facts))) {
    // A rule with both parts applied its floor above; raising is relative to the floors.
    level = Math.min(top, level + rule.raiseBy!);
    reasons.push(`${rule.reason} → raised ${rule.raiseBy} level`);
  }
  if (!reasons.length) reasons.push('no aggravating factor → general');
  return { grade: GRADES[level], reasons };
}
