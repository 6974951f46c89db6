// The routing service's HTTP request/response bodies and endpoints.
import { Type, type Static } from '@sinclair/typebox';
import { AccountNo, Classification, Language } from '../common';
import { ComplaintRouted } from '../events/routed';
import { AreaType, RootCause, Segment, Subtype } from '../taxonomy';
import type { EndpointSpec } from './endpoints';

export const ClassifyRequest = Type.Object(
  {
    text: Type.String({ minLength: 1, maxLength: 5000 }),
    language: Type.Optional(Language),
  },
  { additionalProperties: false, title: 'ClassifyRequest' },
);
export type ClassifyRequest = Static<typeof ClassifyRequest>;

export const ClassifyResponse = Type.Object(
  {
    ...Classification.properties,
    language: Type.String({ description: 'Language the classifier detected: zh-Hans, zh-Hant, en or mixed' }),
  },
  { additionalProperties: false, title: 'ClassifyResponse' },
);

export const ReclassifyRequest = Type.Object(
  {
    rootCause: RootCause,
    subtype: Subtype,
    urgent: Type.Optional(Type.Boolean({ description: 'Defaults to the current value' })),
    reason: Type.String({ minLength: 3, maxLength: 1000, description: 'Why the classification was wrong' }),
  },
  { additionalProperties: false, title: 'ReclassifyRequest' },
);
export type ReclassifyRequest = Static<typeof ReclassifyRequest>;

export const CustomerDirectoryEntry = Type.Object(
  {
    accountNo: AccountNo,
    segment: Segment,
    areaType: Type.Optional(AreaType),
    transformerArea: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
    vulnerable: Type.Optional(
      Type.Boolean({ description: 'Elderly living alone, disabled or low-income; default false' }),
    ),
    managerId: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
    organisation: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  },
  { additionalProperties: false, title: 'CustomerDirectoryEntry' },
);
export type CustomerDirectoryEntry = Static<typeof CustomerDirectoryEntry>;

export const CustomerImport = Type.Union(
  [
    Type.Object(
      { customers: Type.Array(CustomerDirectoryEntry, { minItems: 1, maxItems: 50000 }) },
      { additionalProperties: false },
    ),
    Type.Object(
      {
        csv: Type.String({
          minLength: 1,
          maxLength: 5_000_000,
          description:
            'CSV with a header row: accountNo,segment,areaType,transformerArea,vulnerable,managerId,organisation',
        }),
      },
      { additionalProperties: false },
    ),
  ],
  { title: 'CustomerImport' },
);
export type CustomerImport = Static<typeof CustomerImport>;

export const CustomerImportResult = Type.Object(
  { imported: Type.Integer({ minimum: 0 }) },
  { additionalProperties: false, title: 'CustomerImportResult' },
);

export const RoutingView = Type.Object(
  {
    complaintId: Type.String(),
    revision: Type.Integer(),
    decision: ComplaintRouted,
    history: Type.Array(
      Type.Object({
        revision: Type.Integer(),
        at: Type.String({ format: 'date-time' }),
        by: Type.String(),
        rootCause: RootCause,
        subtype: Subtype,
        grade: Type.String(),
        reason: Type.Optional(Type.String()),
      }),
    ),
  },
  { title: 'RoutingView' },
);

const complaintIdParam = {
  complaintId: { description: 'Complaint id', pattern: '^CMP(-[0-9A-HJKMNP-TV-Z]{4}){4}$' },
};

export const ROUTING_ENDPOINTS: EndpointSpec[] = [
  {
    service: 'routing',
    method: 'post',
    path: '/v1/classify',
    operationId: 'classifyText',
    summary: 'Classify a text without creating anything (for trying rules)',
    auth: { kind: 'bearer', roles: ['ops'] },
    request: ClassifyRequest,
    responses: {
      200: { description: 'The classification with its reasons', schema: ClassifyResponse },
      400: { description: 'Invalid body' },
      401: { description: 'No or bad token' },
      403: { description: 'Not the ops role' },
    },
  },
  {
    service: 'routing',
    method: 'get',
    path: '/v1/routing/{complaintId}',
    operationId: 'getRouting',
    summary: "A complaint's routing decision, its reasons and its reclassification history",
    auth: { kind: 'bearer', roles: ['ops', 'supervisor', 'manager'] },
    pathParams: complaintIdParam,
    responses: {
      200: { description: 'The decision', schema: RoutingView },
      404: { description: 'Not routed (yet)' },
    },
  },
  {
    service: 'routing',
    method: 'post',
    path: '/v1/routing/{complaintId}/reclassify',
    operationId: 'reclassifyComplaint',
    summary: 'A supervisor corrects the classification; a new routed event (next revision) follows',
    auth: { kind: 'bearer', roles: ['supervisor'] },
    pathParams: complaintIdParam,
    request: ReclassifyRequest,
    responses: {
      200: { description: 'The new decision', schema: RoutingView },
      400: { description: 'Invalid body, or a subtype that does not belong to the root cause' },
      404: { description: 'Not routed (yet)' },
      409: { description: 'Changed concurrently; retry' },
    },
  },
  {
    service: 'routing',
    method: 'post',
    path: '/v1/customers/import',
    operationId: 'importCustomers',
    summary: 'Load customer master data (JSON list or CSV); existing accounts are replaced',
    auth: { kind: 'bearer', roles: ['ops'] },
    request: CustomerImport,
    responses: {
      200: { description: 'Imported', schema: CustomerImportResult },
      400: { description: 'Invalid rows (each named by line and field); nothing imported' },
    },
  },
  {
    service: 'routing',
    method: 'get',
    path: '/v1/customers/{accountNo}',
    operationId: 'getCustomer',
    summary: 'One account as routing sees it (unknown accounts are ordinary)',
    auth: { kind: 'bearer', roles: ['ops', 'manager', 'supervisor'] },
    pathParams: { accountNo: { description: 'Electricity account number' } },
    responses: { 200: { description: 'The customer record', schema: CustomerDirectoryEntry } },
  },
];
