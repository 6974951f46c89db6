// Public surface of the contracts package.
export * from './taxonomy';
export * from './common';
export * from './cloudevent';
export * from './topics';
export * from './validation';
export * from './examples';
export * from './events/received';
export * from './events/routed';
export * from './events/resolved';
export * from './events/closed';
export * from './events/sla';
export * from './http/intake';
export * from './http/problem';
export * from './http/endpoints';
export * from './openapi';
export * from './asyncapi';
export * from './generated-documents';
