// Test helpers shared by every service's integration tests (a separate entry point: never loaded in production).
export * from './infra';
export * from './credentials';
export * from './events';
export * from './processes';
export * from './bench';
