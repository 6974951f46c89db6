// The feedback service's HTTP request/response bodies and endpoints.
import type { EndpointSpec } from './endpoints';

export const FEEDBACK_ENDPOINTS: EndpointSpec[] = [];
