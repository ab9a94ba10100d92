export { UserauthClient, type UserauthClientOptions } from './client.js';
export type {
  ErrorBody,
  IdentityInput,
  IdentityResult,
  PasswordCheck,
  User,
  UserInput,
  UserUpdate,
} from './types.js';
