// The intake service's endpoints.
import type { EndpointSpec } from './endpoints';
import {
  ComplaintAccepted,
  ComplaintSearchPage,
  ComplaintSearchQuery,
  ComplaintStatus,
  ComplaintSubmission,
  ComplaintTimeline,
} from './intake';

/** OpenAPI query parameters from the search query schema (each property a string parameter). */
const searchParams: EndpointSpec['query'] = Object.fromEntries(
  Object.entries(ComplaintSearchQuery.properties).map(([name, schema]) => {
    const plain = JSON.parse(JSON.stringify(schema)) as Record<string, unknown>;
    const description = typeof plain.description === 'string' ? plain.description : name;
    return [name, { description, schema: plain }];
  }),
);

export const INTAKE_ENDPOINTS: EndpointSpec[] = [
  {
    service: 'intake',
    method: 'post',
    path: '/v1/complaints',
    operationId: 'submitComplaint',
    summary: 'A partner channel submits a customer complaint',
    auth: { kind: 'apiKey' },
    headers: {
      'Idempotency-Key': {
        description:
          'Unique per complaint from this channel (1–200 printable chars). A retry with the same key and body gets the original answer; a different body is a 409.',
        required: true,
      },
    },
    request: ComplaintSubmission,
    responses: {
      202: { description: 'Durably stored; routing follows asynchronously', schema: ComplaintAccepted },
      400: { description: 'Malformed JSON, invalid or unknown fields, missing Idempotency-Key' },
      401: { description: 'Missing or unknown API key' },
      409: { description: 'Idempotency-Key already used with a different body' },
      413: { description: 'Body larger than the limit' },
      415: { description: 'Body is not application/json' },
      429: { description: 'Rate limit for this key exceeded' },
    },
  },
  {
    service: 'intake',
    method: 'get',
    path: '/v1/complaints',
    operationId: 'searchComplaints',
    summary:
      'Search complaints by account, status, grade, root cause, channel and received time, newest first; a partner key sees its own channel only',
    auth: { kind: 'apiKeyOrBearer', roles: ['ops', 'supervisor', 'manager'] },
    query: searchParams,
    responses: {
      200: { description: 'One page of matching complaints', schema: ComplaintSearchPage },
      400: { description: 'Invalid query parameter: the errors name it' },
      401: { description: 'Missing or unknown credentials' },
      403: { description: 'Role not allowed, or a partner asking for another channel' },
    },
  },
  {
    service: 'intake',
    method: 'get',
    path: '/v1/complaints/{id}',
    operationId: 'getComplaintStatus',
    summary: "A complaint's current status; a partner sees only its own channel's complaints",
    auth: { kind: 'apiKeyOrBearer', roles: ['ops', 'supervisor', 'manager'] },
    pathParams: { id: { description: 'Complaint id', pattern: '^CMP(-[0-9A-HJKMNP-TV-Z]{4}){4}$' } },
    responses: {
      200: { description: 'The complaint status', schema: ComplaintStatus },
      401: { description: 'Missing or unknown credentials' },
      404: { description: 'No such complaint for this channel' },
    },
  },
  {
    service: 'intake',
    method: 'get',
    path: '/v1/complaints/{id}/timeline',
    operationId: 'getComplaintTimeline',
    summary: "Every step of a complaint's lifecycle from every service, in order, with actor and trace id",
    auth: { kind: 'apiKeyOrBearer', roles: ['ops', 'supervisor', 'manager'] },
    pathParams: { id: { description: 'Complaint id', pattern: '^CMP(-[0-9A-HJKMNP-TV-Z]{4}){4}$' } },
    responses: {
      200: { description: 'The timeline', schema: ComplaintTimeline },
      401: { description: 'Missing or unknown credentials' },
      404: { description: 'No such complaint for this channel' },
    },
  },
];
