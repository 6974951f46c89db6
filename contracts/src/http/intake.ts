// HTTP bodies of the intake service: a partner's complaint submission and the answers it gets.
import { Type, type Static } from '@sinclair/typebox';
import { AccountNo, Customer, Language, Location } from '../common';
import {
  Channel,
  ComplaintId,
  Grade,
  GRADES,
  RootCause,
  ROOT_CAUSES,
  Subtype,
  Team,
  Timestamp,
} from '../taxonomy';

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

/** The latest routing decision intake keeps on each complaint (from complaints.routed.v1, highest revision). */
export const ComplaintRouting = Type.Object(
  {
    rootCause: RootCause,
    subtype: Subtype,
    grade: Grade,
    team: Team,
    urgent: Type.Boolean(),
    revision: Type.Integer({ minimum: 1, description: 'Routing revision; above 1 means reclassified' }),
  },
  { additionalProperties: false, title: 'ComplaintRouting' },
);
export type ComplaintRouting = Static<typeof ComplaintRouting>;

const enumText = <const T extends readonly string[]>(values: T, description: string) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], description });

const SearchDate = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,3})?)?(Z|[+-]\\d{2}:\\d{2}))?$',
  description:
    'Received time bound: YYYY-MM-DD (UTC day) or an ISO date-time with offset. `from` is inclusive, `to` exclusive; a bare date in `to` includes that whole day.',
  examples: ['2026-11-01', '2026-11-01T00:00:00+08:00'],
});

/** Query of the complaint search; every value arrives as text. */
export const ComplaintSearchQuery = Type.Object(
  {
    accountNo: Type.Optional(AccountNo),
    status: Type.Optional(enumText(COMPLAINT_STATUSES, 'Current status')),
    grade: Type.Optional(
      enumText(
        GRADES,
        "Current grade: the latest routing decision's, or the higher grade a reopen raised it to",
      ),
    ),
    rootCause: Type.Optional(enumText(ROOT_CAUSES, 'Root cause of the latest routing decision')),
    channel: Type.Optional(
      Type.String({
        pattern: Channel.pattern as string,
        description: 'Channel the complaint came through; a partner key searches its own channel only',
      }),
    ),
    from: Type.Optional(SearchDate),
    to: Type.Optional(SearchDate),
    limit: Type.Optional(
      Type.String({ pattern: '^([1-9][0-9]?|1[0-9]{2}|200)$', description: 'Page size, 1–200 (default 50)' }),
    ),
    cursor: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        pattern: '^[A-Za-z0-9_-]+$',
        description: 'nextCursor of the previous page',
      }),
    ),
  },
  { additionalProperties: false, title: 'ComplaintSearchQuery' },
);
export type ComplaintSearchQuery = Static<typeof ComplaintSearchQuery>;

export const ComplaintSummary = Type.Object(
  {
    id: ComplaintId,
    channel: Channel,
    externalRef: Type.Optional(Type.String()),
    accountNo: Type.String(),
    status: ComplaintStatus.properties.status,
    excerpt: Type.String({ description: 'The first 120 characters of the complaint text' }),
    routing: Type.Optional(ComplaintRouting),
    /** Current grade: the routing decision's, or higher when a dissatisfied callback reopened the complaint and raised it. */
    grade: Type.Optional(Grade),
    receivedAt: Timestamp,
    updatedAt: Timestamp,
    links: ComplaintLinks,
  },
  { additionalProperties: false, title: 'ComplaintSummary' },
);
export type ComplaintSummary = Static<typeof ComplaintSummary>;

export const ComplaintSearchPage = Type.Object(
  {
    items: Type.Array(ComplaintSummary),
    limit: Type.Integer({ minimum: 1 }),
    nextCursor: Type.Union([Type.String(), Type.Null()], {
      description: 'Pass as `cursor` for the next page; null on the last page',
    }),
  },
  { additionalProperties: false, title: 'ComplaintSearchPage' },
);
export type ComplaintSearchPage = Static<typeof ComplaintSearchPage>;
