// Public surface of the intake service for tests and the local launcher.
export { start, SERVICE, type IntakeService, type StartOptions } from './app';
export { complaintIdFor, requestFingerprint } from './domain/complaint-id';
