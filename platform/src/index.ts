// Public surface of the platform package (telemetry and local-infra are separate entry points: load telemetry first).
export * from './config';
export * from './errors';
export * from './masking';
export * from './logger';
export * from './metrics';
export * from './cloudevents';
export * from './mongo';
export * from './outbox';
export * from './runtime';
export * from './kafka/client';
export * from './kafka/publisher';
export * from './kafka/consumer';
export * from './kafka/tracing';
export * from './http/app';
export * from './http/auth';
export * from './http/validate';
export * from './local-credentials';
