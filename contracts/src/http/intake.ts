// HTTP bodies of the intake service: a partner's complaint submission and the answers it gets.
import { Type, type Static } from '@sinclair/typebox';
import { Customer, Language, Location } from '../common';
import { Channel, ComplaintId, Timestamp } from '../taxonomy';

export const ComplaintSubmission = Type.Object(
  {
    customer: Customer,
    text: Type.String({
      minLength: 1,
      maxLength: 5000,
      description: 'The complaint in Simplified Chinese, Traditional Chinese (incl. Cantonese) or English',
    }),
    language: Type.Optional(Language),
    occurredAt: Type.Optional(Timestamp),
    externalRef: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        description: "The channel's own reference for this complaint",
      }),
    ),
    location: Type.Optional(Location),
  },
  {
    additionalProperties: false,
    title: 'ComplaintSubmission',
    examples: [
      {
        customer: { accountNo: '5012087734', name: '张伟', phone: '13812345678' },
        text: '最近一周每天晚上电压只有180伏左右，空调启动不了，请尽快处理。',
        language: 'zh-Hans',
        location: { address: '城关镇幸福路12号', transformerArea: 'TA-0412', areaType: 'rural' },
      },
    ],
  },
);
export type ComplaintSubmission = Static<typeof ComplaintSubmission>;

export const ComplaintLinks = Type.Object(
  { self: Type.String(), timeline: Type.Optional(Type.String()) },
  { additionalProperties: false },
);

export const ComplaintAccepted = Type.Object(
  {
    id: ComplaintId,
    status: Type.Literal('received'),
    receivedAt: Timestamp,
    links: ComplaintLinks,
  },
  { additionalProperties: false, title: 'ComplaintAccepted' },
);
export type ComplaintAccepted = Static<typeof ComplaintAccepted>;

export const COMPLAINT_STATUSES = [
  'received',
  'routed',
  'in_progress',
  'resolved',
  'closed',
  'reopened',
  'terminated',
] as const;

export const ComplaintStatus = Type.Object(
  {
    id: ComplaintId,
    channel: Channel,
    externalRef: Type.Optional(Type.String()),
    status: Type.Unsafe<(typeof COMPLAINT_STATUSES)[number]>({
      type: 'string',
      enum: [...COMPLAINT_STATUSES],
    }),
    receivedAt: Timestamp,
    updatedAt: Timestamp,
    links: ComplaintLinks,
  },
  { additionalProperties: false, title: 'ComplaintStatus' },
);
export type ComplaintStatus = Static<typeof ComplaintStatus>;

export const ComplaintTimeline = Type.Object(
  {
    complaintId: ComplaintId,
    status: Type.String(),
    steps: Type.Array(
      Type.Object({
        at: Timestamp,
        service: Type.String(),
        step: Type.String({
          examples: ['complaint.routed', 'work_order.accepted', 'sla.warning', 'complaint.closed'],
        }),
        actor: Type.String({
          description: 'channel:<name>, classifier, staff:<id> (just "staff" for partners), system, customer',
        }),
        summary: Type.String(),
        traceId: Type.Optional(Type.String({ description: 'OpenTelemetry trace id the step travelled in' })),
        details: Type.Optional(
          Type.Record(Type.String(), Type.Unknown(), { description: 'Staff only: reasons, deadlines, ids' }),
        ),
      }),
    ),
  },
  { title: 'ComplaintTimeline' },
);
