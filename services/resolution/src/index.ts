// Placeholder until the service is built; see its issue.
export {};
