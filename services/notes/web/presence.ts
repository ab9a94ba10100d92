import type { Awareness } from 'y-protocols/awareness';
import { colourOf } from '../src/collab/collab-protocol.js';

/** The user a replica stamped into an awareness state (never what the page itself claimed). */
export interface PresenceUser {
  name: string;
  colour: number;
  anonymous?: boolean;
}

export function userOf(state: unknown): PresenceUser | undefined {
  const user = (state as { user?: PresenceUser } | null)?.user;
  return user && typeof user.name === 'string' ? user : undefined;
}

/**
 * `#presence [data-user]` (DESIGN 4.9): one badge per person in the note, in their colour, the
 * viewer's own first; anonymous readers are counted in one badge.
 */
export function showPresence(box: HTMLElement, awareness: Awareness, me: string | null): void {
  const render = () => {
    const people = new Map<string, PresenceUser>();
    let anonymous = 0;
    // This page's own state is stamped only on its way to the others: the page knows its user.
    if (me) people.set(me, { name: me, colour: colourOf(me) });
    for (const [clientID, state] of awareness.getStates()) {
      if (clientID === awareness.clientID) continue;
      const user = userOf(state);
      if (!user) continue;
      if (user.anonymous) anonymous++;
      else people.set(user.name, user);
    }
    const names = [...people.keys()].sort((a, b) => (a === me ? -1 : b === me ? 1 : a.localeCompare(b)));
    const badges = names.map((name) => {
      const badge = document.createElement('span');
      badge.className = `presence-user presence-c${people.get(name)?.colour ?? 0}`;
      badge.dataset.user = name;
      badge.textContent = name === me ? `${name} (you)` : name;
      badge.title = name === me ? 'You' : `${name} is in this note`;
      return badge;
    });
    if (anonymous > 0) {
      const badge = document.createElement('span');
      badge.className = 'presence-user presence-anonymous';
      badge.textContent = anonymous === 1 ? '1 reader' : `${anonymous} readers`;
      badges.push(badge);
    }
    box.replaceChildren(...badges);
    box.hidden = badges.length === 0;
  };
  awareness.on('change', render);
  render();
}
