// The routing service's HTTP request/response bodies and endpoints.
import type { EndpointSpec } from './endpoints';

export const ROUTING_ENDPOINTS: EndpointSpec[] = [];
