export { type AppDeps, createApp } from './app.js';
export { type NotesConfig, readConfig } from './config.js';
export { migrations } from './db/migrations.js';
export { type NotesServer, StartupError, startNotesServer } from './server.js';
