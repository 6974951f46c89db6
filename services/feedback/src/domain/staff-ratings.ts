// Staff evaluation: callback outcomes and ratings attributed to the staff member (and team) who resolved each case.
import type { StaffFigures, StaffRatingsReport } from '@complaints/contracts';
import type { CallbackStatus } from './callback-task';
import { ratio, round } from './kpis';
import type { Period } from './report-period';

export const STAFF_RATING_DEFINITIONS = {
  callbacks:
    'Callback tasks of the resolutions (resolvedAt in [from, to)) that this staff member or team resolved, whatever their state.',
  outcomes:
    'pending, satisfied, basically_satisfied, dissatisfied and unreachable count those callbacks by their current state.',
  averageRating: 'Mean of the 1–5 ratings given in those callbacks, rounded to 2 decimals; null when none.',
  satisfactionRate:
    '(satisfied + basically_satisfied) / (satisfied + basically_satisfied + dissatisfied), rounded to 4 decimals; null when no customer was reached.',
  team: 'The team named in resolvedBy of the resolved event; cases without one count under team null.',
} as const;

export interface StaffGroup {
  staffId: string;
  team: string | null;
  status: CallbackStatus;
  rating: number | null;
  count: number;
}

interface Tally {
  teams: Map<string | null, number>;
  figures: StaffFigures;
  ratingSum: number;
}

const emptyFigures = (team: string | null, staffId?: string): StaffFigures => ({
  ...(staffId !== undefined ? { staffId } : {}),
  team,
  callbacks: 0,
  pending: 0,
  satisfied: 0,
  basically_satisfied: 0,
  dissatisfied: 0,
  unreachable: 0,
  ratings: 0,
  averageRating: null,
  satisfactionRate: null,
});

export function staffRatingsReport(
  period: Period,
  groupBy: 'staff' | 'team',
  groups: StaffGroup[],
): StaffRatingsReport {
  const tallies = new Map<string, Tally>();
  for (const g of groups) {
    const key = groupBy === 'staff' ? g.staffId : String(g.team);
    let t = tallies.get(key);
    if (!t) {
      t = {
        teams: new Map(),
        figures: emptyFigures(g.team, groupBy === 'staff' ? g.staffId : undefined),
        ratingSum: 0,
      };
      tallies.set(key, t);
    }
    t.teams.set(g.team, (t.teams.get(g.team) ?? 0) + g.count);
    t.figures.callbacks += g.count;
    t.figures[g.status] += g.count;
    if (g.rating !== null) {
      t.figures.ratings += g.count;
      t.ratingSum += g.rating * g.count;
    }
  }
  const rows = [...tallies.values()].map(({ teams, figures, ratingSum }) => {
    // A staff member who moved teams is shown under the team of most of their cases.
    const team = [...teams.entries()].sort(
      (a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0])),
    )[0][0];
    const pleased = figures.satisfied + figures.basically_satisfied;
    return {
      ...figures,
      team,
      averageRating: figures.ratings ? round(ratingSum / figures.ratings, 2) : null,
      satisfactionRate: ratio(pleased, pleased + figures.dissatisfied).value,
    };
  });
  rows.sort(
    (a, b) =>
      b.callbacks - a.callbacks || String(a.staffId ?? a.team).localeCompare(String(b.staffId ?? b.team)),
  );
  return {
    period: { from: period.from.toISOString(), to: period.to.toISOString() },
    groupBy,
    rows,
    definitions: { ...STAFF_RATING_DEFINITIONS },
  };
}
