export { UserauthClient, type UserauthClientOptions } from './client.js';
export type {
  ErrorBody,
  IdentityInput,
  IdentityResult,
  MfaCheck,
  MfaEnrolment,
  MfaStatus,
  PasswordCheck,
  User,
  UserInput,
  UserUpdate,
} from './types.js';
