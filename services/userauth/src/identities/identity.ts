import type { IdentityInput } from '../client/types.js';

export type { IdentityInput, IdentityResult } from '../client/types.js';

/** Validated input of find-or-create-identity: every field present. */
export type ParsedIdentity = Required<IdentityInput>;
