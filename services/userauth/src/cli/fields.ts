import type { UserUpdate } from '../client/index.js';

/** The option that carries each field of the REST API, as the admin typed it. */
const FLAG_OF: Record<string, string> = {
  password: '--password',
  provider: '--provider',
  familyName: '--family-name',
  givenName: '--given-name',
  middleName: '--middle-name',
  emails: '--email',
  addEmails: '--add-email',
  removeEmails: '--remove-email',
};

/**
 * Rewrites the field paths of an input error ("emails.1: must be an e-mail address; givenName: …",
 * the kit's format) into the options the admin typed: `--email "x@": …; --given-name: …`. An item
 * of a list is named by its value, which the admin can find on the command line.
 */
export function inFlagTerms(message: string, sent: UserUpdate = {}): string {
  return message.replace(
    /(^|; )([A-Za-z]+)((?:\.\d+)?): /g,
    (whole, start: string, field: string, index: string) => {
      const flag = FLAG_OF[field];
      if (!flag) return whole;
      const list = (sent as Record<string, unknown>)[field];
      const item = index && Array.isArray(list) ? list[Number(index.slice(1))] : undefined;
      return `${start}${flag}${typeof item === 'string' ? ` ${JSON.stringify(item)}` : ''}: `;
    },
  );
}
