// Every HTTP endpoint of the platform, as data: the OpenAPI document is built from this table.
import type { TSchema } from '@sinclair/typebox';
import type { StaffRole } from '../taxonomy';

export type ServiceName = 'intake' | 'routing' | 'resolution' | 'feedback';

export type EndpointAuth =
  | { kind: 'apiKey' }
  | { kind: 'bearer'; roles: StaffRole[] }
  | { kind: 'apiKeyOrBearer'; roles: StaffRole[] }
  /** The customer's signed, expiring link is the credential (survey pages): no key, no login. */
  | { kind: 'signedLink' };

export interface EndpointSpec {
  service: ServiceName;
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** OpenAPI form: `/v1/complaints/{id}`. */
  path: string;
  operationId: string;
  summary: string;
  auth: EndpointAuth;
  pathParams?: Record<string, { description: string; pattern?: string }>;
  query?: Record<string, { description: string; schema: Record<string, unknown> }>;
  headers?: Record<string, { description: string; required: boolean }>;
  request?: TSchema;
  responses: Record<number, { description: string; schema?: TSchema }>;
}

import { INTAKE_ENDPOINTS } from './intake-endpoints';
import { ROUTING_ENDPOINTS } from './routing';
import { RESOLUTION_ENDPOINTS } from './resolution';
import { FEEDBACK_ENDPOINTS, FEEDBACK_SURVEY_ENDPOINTS } from './feedback';

/** Every endpoint; each service's own file lists its endpoints and request bodies. */
export const ENDPOINTS: EndpointSpec[] = [
  ...INTAKE_ENDPOINTS,
  ...ROUTING_ENDPOINTS,
  ...RESOLUTION_ENDPOINTS,
  ...FEEDBACK_ENDPOINTS,
  ...FEEDBACK_SURVEY_ENDPOINTS,
];
