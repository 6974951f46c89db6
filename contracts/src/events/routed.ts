// complaints.routed.v1: routing decided what the complaint is about, its grade, owner and deadlines.
import { Type, type Static } from '@sinclair/typebox';
import { AccountNo, Classification, Location } from '../common';
import { AreaType, Channel, ComplaintId, Grade, ManagerRole, Segment, Team, Timestamp } from '../taxonomy';

export const Deadlines = Type.Object(
  {
    dispatchBy: Timestamp,
    firstContactBy: Timestamp,
    resolveBy: Timestamp,
    onSiteBy: Type.Optional(Timestamp),
    restoreBy: Type.Optional(Timestamp),
  },
  { additionalProperties: false, description: '95598 time limits on the business calendar' },
);
export type Deadlines = Static<typeof Deadlines>;

export const ComplaintRouted = Type.Object(
  {
    complaintId: ComplaintId,
    revision: Type.Integer({ minimum: 1, description: '1 for the first decision, +1 per reclassification' }),
    channel: Channel,
    accountNo: AccountNo,
    classification: Type.Object(
      {
        ...Classification.properties,
        decidedBy: Type.Union([Type.Literal('classifier'), Type.String({ pattern: '^staff:' })]),
      },
      { additionalProperties: false },
    ),
    segment: Segment,
    vulnerable: Type.Boolean({ description: 'Elderly living alone, disabled, low-income: free service' }),
    areaType: AreaType,
    location: Type.Optional(Location),
    accountManager: Type.Object(
      { role: ManagerRole, managerId: Type.Optional(Type.String({ maxLength: 60 })) },
      { additionalProperties: false },
    ),
    team: Team,
    grade: Grade,
    gradeReasons: Type.Array(Type.String({ maxLength: 300 })),
    repeat: Type.Object(
      {
        count: Type.Integer({
          minimum: 0,
          description: 'Earlier closed complaints on the same matter in the window',
        }),
        supervision: Type.Boolean({ description: 'Third repeat or more: leadership supervision (督办)' }),
        previousComplaintIds: Type.Array(ComplaintId),
      },
      { additionalProperties: false },
    ),
    deadlines: Deadlines,
    routedAt: Timestamp,
  },
  { additionalProperties: false, title: 'ComplaintRouted' },
);
export type ComplaintRouted = Static<typeof ComplaintRouted>;
