// Public surface of the resolution service for tests and the local launcher.
export { start, SERVICE, type ResolutionService, type StartOptions } from './app';
export type { Clock } from './domain/clock';
export { workOrderIdFor } from './domain/work-order';
