// sla.warning.v1 and sla.breached.v1: a work order's time limit is near or missed.
import { Type, type Static } from '@sinclair/typebox';
import { ComplaintId, Grade, SlaLimit, Team, Timestamp } from '../taxonomy';

const slaFields = {
  complaintId: ComplaintId,
  workOrderId: Type.String({ minLength: 1, maxLength: 80 }),
  limit: SlaLimit,
  deadline: Timestamp,
  grade: Grade,
  team: Team,
};

export const SlaWarning = Type.Object(
  {
    ...slaFields,
    elapsedRatio: Type.Number({ minimum: 0, description: 'Share of the allowed time already used' }),
    warnedAt: Timestamp,
  },
  { additionalProperties: false, title: 'SlaWarning' },
);
export type SlaWarning = Static<typeof SlaWarning>;

export const SlaBreached = Type.Object(
  {
    ...slaFields,
    breachedAt: Timestamp,
    escalatedTo: Type.String({
      maxLength: 60,
      description: 'Role or person supervising (督办)',
      examples: ['supervisor'],
    }),
  },
  { additionalProperties: false, title: 'SlaBreached' },
);
export type SlaBreached = Static<typeof SlaBreached>;
