import { AppError } from '@notes/kit';

/** Addresses to take out of a user's list and to put into it (update-user's removeEmails / addEmails). */
export interface EmailEdit {
  add: string[];
  remove: string[];
}

export const MAX_EMAILS = 10;

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * The list after the edit: removals first (each must be in the list, compared without regard to
 * case, so a typo is an error rather than a silent no-op), then additions not already present,
 * in the order given. At most MAX_EMAILS addresses result.
 */
export function applyEmailEdit(current: readonly string[], edit: EmailEdit): string[] {
  const missing = edit.remove.filter((r) => !current.some((e) => same(e, r)));
  if (missing.length > 0)
    throw AppError.invalid('removeEmails', `not an address of this user: ${missing.join(', ')}`);
  const kept = current.filter((e) => !edit.remove.some((r) => same(e, r)));
  for (const address of edit.add) if (!kept.some((e) => same(e, address))) kept.push(address);
  if (kept.length > MAX_EMAILS)
    throw AppError.invalid('addEmails', `would make ${kept.length} addresses (at most ${MAX_EMAILS})`);
  return kept;
}
