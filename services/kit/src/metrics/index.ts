export * from './database-metrics.js';
export * from './dependency-metrics.js';
export * from './http-metrics.js';
export * from './metrics-server.js';
export * from './registry.js';
