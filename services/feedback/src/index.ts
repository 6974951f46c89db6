// Public surface of the feedback service for tests and the local launcher.
export { start, SERVICE, type FeedbackService, type StartOptions } from './app';
export { callbackIdFor } from './domain/callback-task';
export { raiseGrade, NEXT_GRADE } from './domain/grade-escalation';
export { KPI_DEFINITIONS } from './domain/kpis';
