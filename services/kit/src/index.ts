export * from './config.js';
export * from './database.js';
export * from './database-ready.js';
export * from './env.js';
export * from './errors.js';
export * from './logger.js';
export * from './migrations.js';
export * from './shutdown.js';
