export { UserauthClient, type UserauthClientOptions } from './client.js';
export type { ErrorBody, PasswordCheck, User, UserInput, UserUpdate } from './types.js';
