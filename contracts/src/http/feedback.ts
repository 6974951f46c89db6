// The feedback service's HTTP request/response bodies and endpoints: callbacks (回访), the customer survey, staff ratings, KPIs.
import { Type, type Static, type TObject, type TProperties } from '@sinclair/typebox';
import { StaffRef } from '../common';
import { Channel, ComplaintId, Grade, RootCause, Subtype, Timestamp } from '../taxonomy';
import type { EndpointSpec } from './endpoints';

const CALLBACK_ID_PATTERN = '^CB-CMP(-[0-9A-HJKMNP-TV-Z]{4}){4}-[1-9][0-9]{0,5}$';
export const CallbackId = Type.String({
  pattern: CALLBACK_ID_PATTERN,
  description: 'Callback task id: CB-<complaint id>-<resolution attempt>',
  examples: ['CB-CMP-7KQ3-MZ9X-PA2B-XY4Q-1'],
});

/** What a person on the phone (or the customer in the survey) can record; `unreachable` only follows failed attempts. */
const AnsweredOutcome = Type.Unsafe<'satisfied' | 'basically_satisfied' | 'dissatisfied'>({
  type: 'string',
  enum: ['satisfied', 'basically_satisfied', 'dissatisfied'],
  description: 'The customer’s answer; unreachable is set by the failed attempts, never recorded directly',
});
const Rating = Type.Integer({ minimum: 1, maximum: 5, description: '1 (poor) to 5 (excellent)' });
const Reason = Type.String({
  minLength: 1,
  maxLength: 2000,
  description: 'Why the customer is not satisfied; required when the outcome is dissatisfied',
});
/** A dissatisfied answer must say why: the reason travels with the reopened complaint. */
const reasonWhenDissatisfied = {
  if: { properties: { outcome: { const: 'dissatisfied' } }, required: ['outcome'] },
  then: { required: ['reason'] },
};

export const CallbackOutcomeRecord = Type.Object(
  {
    outcome: AnsweredOutcome,
    rating: Type.Optional(Rating),
    reason: Type.Optional(Reason),
    note: Type.Optional(Type.String({ maxLength: 2000, description: 'Agent’s note, kept on the task' })),
  },
  {
    additionalProperties: false,
    title: 'CallbackOutcomeRecord',
    ...reasonWhenDissatisfied,
    examples: [{ outcome: 'dissatisfied', rating: 2, reason: 'Voltage dropped again the same evening.' }],
  },
);
export type CallbackOutcomeRecord = Static<typeof CallbackOutcomeRecord>;

export const FAILED_CONTACT_RESULTS = ['no_answer', 'busy', 'switched_off', 'wrong_number', 'other'] as const;
export const CallbackAttemptRecord = Type.Object(
  {
    result: Type.Unsafe<(typeof FAILED_CONTACT_RESULTS)[number]>({
      type: 'string',
      enum: [...FAILED_CONTACT_RESULTS],
      description: 'Why the customer could not be reached this time',
    }),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false, title: 'CallbackAttemptRecord', examples: [{ result: 'no_answer' }] },
);
export type CallbackAttemptRecord = Static<typeof CallbackAttemptRecord>;

export const SurveyAnswer = Type.Object(
  { outcome: AnsweredOutcome, rating: Type.Optional(Rating), reason: Type.Optional(Reason) },
  {
    additionalProperties: false,
    title: 'SurveyAnswer',
    ...reasonWhenDissatisfied,
    examples: [{ outcome: 'satisfied', rating: 5 }],
  },
);
export type SurveyAnswer = Static<typeof SurveyAnswer>;

const CallbackStatus = Type.Unsafe<
  'pending' | 'satisfied' | 'basically_satisfied' | 'dissatisfied' | 'unreachable'
>({
  type: 'string',
  enum: ['pending', 'satisfied', 'basically_satisfied', 'dissatisfied', 'unreachable'],
  description: 'pending until an outcome is recorded',
});

export const CallbackTaskView = Type.Object(
  {
    id: CallbackId,
    complaintId: ComplaintId,
    attempt: Type.Integer({ minimum: 1, description: 'Resolution attempt this callback follows' }),
    workOrderId: Type.String(),
    channel: Channel,
    accountNo: Type.String(),
    customer: Type.Optional(
      Type.Object(
        { name: Type.Optional(Type.String()), phone: Type.Optional(Type.String()) },
        { additionalProperties: false, description: 'From the received event, when this service saw it' },
      ),
    ),
    rootCause: RootCause,
    subtype: Subtype,
    grade: Grade,
    resolvedAt: Timestamp,
    resolvedBy: StaffRef,
    onTime: Type.Boolean(),
    terminated: Type.Boolean(),
    dueAt: Timestamp,
    overdue: Type.Boolean({ description: 'Still pending after dueAt' }),
    status: CallbackStatus,
    failedAttempts: Type.Integer({ minimum: 0 }),
    contactAttempts: Type.Array(
      Type.Object(
        {
          result: Type.String(),
          note: Type.Optional(Type.String()),
          recordedBy: Type.String(),
          recordedAt: Timestamp,
        },
        { additionalProperties: false },
      ),
    ),
    outcome: Type.Optional(
      Type.Object(
        {
          outcome: Type.String(),
          rating: Type.Optional(Rating),
          reason: Type.Optional(Type.String()),
          note: Type.Optional(Type.String()),
          recordedBy: Type.String({ description: 'Staff id, or survey:<channel>' }),
          recordedVia: Type.Union([Type.Literal('agent'), Type.Literal('survey'), Type.Literal('attempts')]),
          recordedAt: Timestamp,
        },
        { additionalProperties: false },
      ),
    ),
    reopen: Type.Optional(
      Type.Object(
        {
          previousGrade: Grade,
          grade: Grade,
          reopenCount: Type.Integer({ minimum: 1 }),
          supervision: Type.Boolean(),
        },
        { additionalProperties: false },
      ),
    ),
    surveyLink: Type.Optional(
      Type.Object(
        { url: Type.String(), expiresAt: Timestamp },
        { additionalProperties: false, description: 'Self-service survey for app, web and WeChat customers' },
      ),
    ),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { additionalProperties: false, title: 'CallbackTaskView' },
);
export type CallbackTaskView = Static<typeof CallbackTaskView>;

export const CallbackTaskList = Type.Object(
  { items: Type.Array(CallbackTaskView), count: Type.Integer({ minimum: 0 }) },
  { additionalProperties: false, title: 'CallbackTaskList' },
);
export type CallbackTaskList = Static<typeof CallbackTaskList>;

export const SurveyView = Type.Object(
  {
    complaintId: ComplaintId,
    status: Type.Literal('open'),
    expiresAt: Timestamp,
  },
  { additionalProperties: false, title: 'SurveyView' },
);
export type SurveyView = Static<typeof SurveyView>;

export const SurveyReceipt = Type.Object(
  {
    complaintId: ComplaintId,
    outcome: Type.String(),
    recordedAt: Timestamp,
    message: Type.String({ description: 'Thank-you text, zh and en' }),
  },
  { additionalProperties: false, title: 'SurveyReceipt' },
);
export type SurveyReceipt = Static<typeof SurveyReceipt>;

// Query strings: ISO dates (a whole day) or date-times; checked again in code for real calendar dates.
const ReportDate = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,3})?)?(Z|[+-]\\d{2}:\\d{2}))?$',
  description:
    'YYYY-MM-DD (UTC day) or an ISO date-time with offset. `from` is inclusive; `to` is exclusive, and a bare date in `to` includes that whole day.',
  examples: ['2026-11-01', '2026-11-01T00:00:00+08:00'],
});

export const ReportQuery = Type.Object(
  { from: Type.Optional(ReportDate), to: Type.Optional(ReportDate) },
  { additionalProperties: false, title: 'ReportQuery' },
);
export type ReportQuery = Static<typeof ReportQuery>;

export const StaffRatingsQuery = Type.Object(
  {
    from: Type.Optional(ReportDate),
    to: Type.Optional(ReportDate),
    groupBy: Type.Optional(
      Type.Unsafe<'staff' | 'team'>({
        type: 'string',
        enum: ['staff', 'team'],
        description: 'staff (default) or team',
      }),
    ),
  },
  { additionalProperties: false, title: 'StaffRatingsQuery' },
);
export type StaffRatingsQuery = Static<typeof StaffRatingsQuery>;

export const CallbackListQuery = Type.Object(
  {
    status: Type.Optional(CallbackStatus),
    complaintId: Type.Optional(ComplaintId),
    overdue: Type.Optional(
      Type.Unsafe<'true' | 'false'>({
        type: 'string',
        enum: ['true', 'false'],
        description: 'Only overdue ones',
      }),
    ),
    limit: Type.Optional(
      Type.String({ pattern: '^([1-9][0-9]?|[1-4][0-9]{2}|500)$', description: '1–500, default 100' }),
    ),
  },
  { additionalProperties: false, title: 'CallbackListQuery' },
);
export type CallbackListQuery = Static<typeof CallbackListQuery>;

const Ratio = Type.Object(
  {
    value: Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()], {
      description: 'numerator / denominator, rounded to 4 decimals; null when the denominator is 0',
    }),
    numerator: Type.Integer({ minimum: 0 }),
    denominator: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);
const Period = Type.Object({ from: Timestamp, to: Timestamp }, { additionalProperties: false });
const Counts = Type.Record(Type.String(), Type.Integer({ minimum: 0 }));

export const KPI_NAMES = [
  'callbackRate',
  'satisfactionRate',
  'onTimeResolutionRate',
  'reopenRate',
  'reclassificationRate',
] as const;

export const KpiReport = Type.Object(
  {
    period: Period,
    resolutions: Type.Object(
      {
        total: Type.Integer({ minimum: 0 }),
        onTime: Type.Integer({ minimum: 0 }),
        terminated: Type.Integer({ minimum: 0 }),
        callbacks: Type.Object(
          {
            pending: Type.Integer({ minimum: 0 }),
            satisfied: Type.Integer({ minimum: 0 }),
            basically_satisfied: Type.Integer({ minimum: 0 }),
            dissatisfied: Type.Integer({ minimum: 0 }),
            unreachable: Type.Integer({ minimum: 0 }),
          },
          { additionalProperties: false },
        ),
      },
      {
        additionalProperties: false,
        description: 'Resolutions (resolved events) with resolvedAt in the period',
      },
    ),
    complaints: Type.Object(
      {
        routed: Type.Integer({ minimum: 0 }),
        reclassified: Type.Integer({ minimum: 0 }),
        byRootCause: Counts,
        bySubtype: Counts,
        byGrade: Counts,
        byAreaType: Counts,
        byTransformerArea: Counts,
      },
      { additionalProperties: false, description: 'Complaints first routed in the period' },
    ),
    kpis: Type.Object(
      Object.fromEntries(KPI_NAMES.map((k) => [k, Ratio])) as Record<
        (typeof KPI_NAMES)[number],
        typeof Ratio
      >,
      { additionalProperties: false },
    ),
    definitions: Type.Record(Type.String(), Type.String(), {
      description: 'How each KPI and breakdown is computed',
    }),
  },
  { additionalProperties: false, title: 'KpiReport' },
);
export type KpiReport = Static<typeof KpiReport>;

export const KPI_SERIES_BUCKETS = ['hour', 'day'] as const;

export const KpiSeriesQuery = Type.Object(
  {
    from: Type.Optional(ReportDate),
    to: Type.Optional(ReportDate),
    bucket: Type.Optional(
      Type.Unsafe<(typeof KPI_SERIES_BUCKETS)[number]>({
        type: 'string',
        enum: [...KPI_SERIES_BUCKETS],
        description:
          'Bucket size: hour (default; the last 24 hours by default) or day (the last 30 days by default)',
      }),
    ),
  },
  { additionalProperties: false, title: 'KpiSeriesQuery' },
);
export type KpiSeriesQuery = Static<typeof KpiSeriesQuery>;

export const KpiSeriesBucket = Type.Object(
  {
    from: Timestamp,
    to: Timestamp,
    complaints: Type.Object(
      {
        routed: Type.Integer({ minimum: 0 }),
        byRootCause: Counts,
      },
      { additionalProperties: false, description: 'Complaints first routed in the bucket' },
    ),
    resolutions: Type.Integer({ minimum: 0, description: 'Resolutions with resolvedAt in the bucket' }),
    kpis: Type.Object(
      { callbackRate: Ratio, satisfactionRate: Ratio },
      { additionalProperties: false, description: 'Over the resolutions of the bucket, as in /v1/kpis' },
    ),
  },
  { additionalProperties: false },
);
export type KpiSeriesBucket = Static<typeof KpiSeriesBucket>;

export const KpiSeries = Type.Object(
  {
    period: Period,
    bucket: Type.Union([Type.Literal('hour'), Type.Literal('day')]),
    rootCauses: Type.Array(Type.String(), {
      description: 'Every root cause counted in byRootCause (each bucket lists all of them, 0 when none)',
    }),
    buckets: Type.Array(KpiSeriesBucket),
    definitions: Type.Record(Type.String(), Type.String()),
  },
  { additionalProperties: false, title: 'KpiSeries' },
);
export type KpiSeries = Static<typeof KpiSeries>;

export const StaffFigures = Type.Object(
  {
    staffId: Type.Optional(Type.String()),
    team: Type.Union([Type.String(), Type.Null()]),
    callbacks: Type.Integer({ minimum: 0 }),
    pending: Type.Integer({ minimum: 0 }),
    satisfied: Type.Integer({ minimum: 0 }),
    basically_satisfied: Type.Integer({ minimum: 0 }),
    dissatisfied: Type.Integer({ minimum: 0 }),
    unreachable: Type.Integer({ minimum: 0 }),
    ratings: Type.Integer({ minimum: 0, description: 'How many callbacks carried a 1–5 rating' }),
    averageRating: Type.Union([Type.Number(), Type.Null()], { description: 'Rounded to 2 decimals' }),
    satisfactionRate: Type.Union([Type.Number(), Type.Null()], {
      description: '(satisfied + basically_satisfied) / reached, rounded to 4 decimals',
    }),
  },
  { additionalProperties: false },
);
export type StaffFigures = Static<typeof StaffFigures>;

export const StaffRatingsReport = Type.Object(
  {
    period: Period,
    groupBy: Type.Union([Type.Literal('staff'), Type.Literal('team')]),
    rows: Type.Array(StaffFigures),
    definitions: Type.Record(Type.String(), Type.String()),
  },
  { additionalProperties: false, title: 'StaffRatingsReport' },
);
export type StaffRatingsReport = Static<typeof StaffRatingsReport>;

/** OpenAPI query parameters from a TypeBox object of string parameters. */
function queryParams<P extends TProperties>(schema: TObject<P>): EndpointSpec['query'] {
  return Object.fromEntries(
    Object.entries(schema.properties).map(([name, s]) => {
      const plain = JSON.parse(JSON.stringify(s)) as Record<string, unknown>;
      return [
        name,
        { description: typeof plain.description === 'string' ? plain.description : name, schema: plain },
      ];
    }),
  );
}

const RECORDERS = ['field_staff', 'manager', 'supervisor'] as const;
const READERS = ['field_staff', 'manager', 'supervisor', 'ops'] as const;
const callbackIdParam = { id: { description: 'Callback task id', pattern: CALLBACK_ID_PATTERN } };

export const FEEDBACK_ENDPOINTS: EndpointSpec[] = [
  {
    service: 'feedback',
    method: 'get',
    path: '/v1/callbacks',
    operationId: 'listCallbacks',
    summary: 'Callback tasks, earliest due first (an agent’s work list)',
    auth: { kind: 'bearer', roles: [...READERS] },
    query: queryParams(CallbackListQuery),
    responses: {
      200: { description: 'Matching callback tasks', schema: CallbackTaskList },
      400: { description: 'Invalid query parameter' },
      401: { description: 'Missing or invalid token' },
      403: { description: 'Role not allowed' },
    },
  },
  {
    service: 'feedback',
    method: 'get',
    path: '/v1/callbacks/{id}',
    operationId: 'getCallback',
    summary: 'One callback task with its attempts, outcome and survey link',
    auth: { kind: 'bearer', roles: [...READERS] },
    pathParams: callbackIdParam,
    responses: {
      200: { description: 'The callback task', schema: CallbackTaskView },
      401: { description: 'Missing or invalid token' },
      403: { description: 'Role not allowed' },
      404: { description: 'No such callback task' },
    },
  },
  {
    service: 'feedback',
    method: 'post',
    path: '/v1/callbacks/{id}/attempts',
    operationId: 'recordCallbackAttempt',
    summary:
      'Record a failed attempt to reach the customer; the last allowed one (default the 3rd) closes the complaint as unreachable',
    auth: { kind: 'bearer', roles: [...RECORDERS] },
    pathParams: callbackIdParam,
    headers: {
      'Idempotency-Key': {
        description: 'Optional; a retry with the same key records the attempt once',
        required: false,
      },
    },
    request: CallbackAttemptRecord,
    responses: {
      200: { description: 'The updated callback task', schema: CallbackTaskView },
      400: { description: 'Invalid body' },
      401: { description: 'Missing or invalid token' },
      403: { description: 'Role not allowed, or the staff who resolved the case' },
      404: { description: 'No such callback task' },
      409: { description: 'The callback already has an outcome' },
    },
  },
  {
    service: 'feedback',
    method: 'post',
    path: '/v1/callbacks/{id}/outcome',
    operationId: 'recordCallbackOutcome',
    summary:
      'Record the customer’s answer: satisfied or basically satisfied closes the complaint, dissatisfied reopens it with a raised grade',
    auth: { kind: 'bearer', roles: [...RECORDERS] },
    pathParams: callbackIdParam,
    request: CallbackOutcomeRecord,
    responses: {
      200: {
        description: 'The callback task with its outcome (also when the same outcome is recorded again)',
        schema: CallbackTaskView,
      },
      400: { description: 'Invalid body; a dissatisfied outcome without a reason' },
      401: { description: 'Missing or invalid token' },
      403: { description: 'Role not allowed, or the staff who resolved the case' },
      404: { description: 'No such callback task' },
      409: { description: 'The callback already has a different outcome' },
    },
  },
  {
    service: 'feedback',
    method: 'get',
    path: '/v1/staff-ratings',
    operationId: 'getStaffRatings',
    summary: 'Callback outcomes and ratings per resolving staff member or team over a period',
    auth: { kind: 'bearer', roles: ['manager', 'supervisor', 'ops'] },
    query: queryParams(StaffRatingsQuery),
    responses: {
      200: { description: 'Figures per staff member or team', schema: StaffRatingsReport },
      400: { description: 'Invalid query parameter' },
      401: { description: 'Missing or invalid token' },
      403: { description: 'Role not allowed' },
    },
  },
  {
    service: 'feedback',
    method: 'get',
    path: '/v1/kpis',
    operationId: 'getKpis',
    summary: 'Service KPIs over a period: callback, satisfaction, on-time, reopen and reclassification rates',
    auth: { kind: 'bearer', roles: ['manager', 'ops'] },
    query: queryParams(ReportQuery),
    responses: {
      200: { description: 'KPIs with their definitions', schema: KpiReport },
      400: { description: 'Invalid query parameter' },
      401: { description: 'Missing or invalid token' },
      403: { description: 'Role not allowed' },
    },
  },
  {
    service: 'feedback',
    method: 'get',
    path: '/v1/kpis/series',
    operationId: 'getKpiSeries',
    summary:
      'KPIs over time: per hour or day, complaints first routed by root cause, and the callback and satisfaction rates',
    auth: { kind: 'bearer', roles: ['manager', 'ops'] },
    query: queryParams(KpiSeriesQuery),
    responses: {
      200: { description: 'One entry per bucket, oldest first', schema: KpiSeries },
      400: { description: 'Invalid query parameter, or more buckets than allowed' },
      401: { description: 'Missing or invalid token' },
      403: { description: 'Role not allowed' },
    },
  },
];

const tokenParam = { token: { description: 'The signed, expiring survey token from the link' } };

/** The customer survey routes: the signed link is the credential (no key, no login). */
export const FEEDBACK_SURVEY_ENDPOINTS: EndpointSpec[] = [
  {
    service: 'feedback',
    method: 'get',
    path: '/survey/{token}',
    operationId: 'surveyPage',
    summary: 'The survey page (HTML, zh/en) for a signed link',
    auth: { kind: 'signedLink' },
    pathParams: tokenParam,
    responses: {
      200: { description: 'The page' },
      403: { description: 'Altered link' },
      409: { description: 'Already answered' },
      410: { description: 'Expired link' },
    },
  },
  {
    service: 'feedback',
    method: 'get',
    path: '/v1/survey/{token}',
    operationId: 'getSurvey',
    summary: 'Whether the survey of a signed link can be answered',
    auth: { kind: 'signedLink' },
    pathParams: tokenParam,
    responses: {
      200: { description: 'The survey', schema: SurveyView },
      403: { description: 'Altered link' },
      410: { description: 'Expired link' },
    },
  },
  {
    service: 'feedback',
    method: 'post',
    path: '/v1/survey/{token}',
    operationId: 'answerSurvey',
    summary: 'The customer answers the survey, once per link',
    auth: { kind: 'signedLink' },
    pathParams: tokenParam,
    request: SurveyAnswer,
    responses: {
      200: { description: 'Recorded', schema: SurveyReceipt },
      400: { description: 'Invalid answer' },
      403: { description: 'Altered link' },
      409: { description: 'Already answered' },
      410: { description: 'Expired link' },
    },
  },
];
