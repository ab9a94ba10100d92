/** A user as the REST API returns it (DESIGN 4.3). Password hashes never leave the service. */
export interface User {
  id: string;
  username: string;
  provider: string;
  familyName: string;
  givenName: string;
  middleName: string;
  emails: string[];
  photos: string[];
}

/** Body of create-user / find-or-create; update-user takes any subset but username. */
export interface UserInput {
  username: string;
  password?: string;
  provider?: string;
  familyName?: string;
  givenName?: string;
  middleName?: string;
  emails?: string[];
  photos?: string[];
}

/**
 * Body of update-user: any subset of the fields but username. `emails` replaces the list;
 * `addEmails` / `removeEmails` change it in place (not together with `emails`).
 */
export type UserUpdate = Partial<Omit<UserInput, 'username'>> & {
  addEmails?: string[];
  removeEmails?: string[];
};

export type PasswordCheck =
  | { check: true; username: string }
  | { check: false; username: string; message: string };

/** Error body of every non-2xx answer. */
export interface ErrorBody {
  code: string;
  message: string;
}

/**
 * Body of find-or-create-identity: an OpenID Connect account (issuer + subject) and what its ID
 * token says of the person. `username` is only a wish (preferred_username, an e-mail…): the user
 * made gets a free name derived from it, never an existing account.
 */
export interface IdentityInput {
  issuer: string;
  subject: string;
  username?: string;
  familyName?: string;
  givenName?: string;
  /** Only addresses the provider says are verified. */
  emails?: string[];
}

export interface IdentityResult {
  user: User;
  created: boolean;
}

/** GET /mfa/:username */
export interface MfaStatus {
  /** False when the server has no USERAUTH_MFA_KEY: nothing can be enrolled. */
  available: boolean;
  enabled: boolean;
  /** An enrolment waits for its first code. */
  pending: boolean;
  recoveryCodesLeft: number;
}

/** POST /mfa/:username/enrol: the secret (base32, for typing) and its otpauth:// URI (for the QR code). */
export interface MfaEnrolment {
  secret: string;
  uri: string;
}

/** POST /mfa/:username/verify */
export type MfaCheck =
  | { check: true; username: string; method: 'totp' | 'recovery'; recoveryCodesLeft: number }
  | { check: false; username: string; message: string };
