// Public surface of the routing service for tests and the local launcher.
export { start, SERVICE, type RoutingService, type StartOptions } from './app';
export { classify } from './domain/classification';
