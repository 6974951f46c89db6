// The resolution service's HTTP request/response bodies and endpoints.
import type { EndpointSpec } from './endpoints';

export const RESOLUTION_ENDPOINTS: EndpointSpec[] = [];
