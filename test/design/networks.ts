/**
 * DESIGN 1, the network table, once: the compose-local stack test proves it by trying every
 * connection, the swarm policy checks hold the stack file to it (plus the edge network).
 */

/** Which container is on which network. Two containers may talk iff they share one. */
export const DESIGN_NETWORKS: Readonly<Record<string, readonly string[]>> = {
  'svc-notes': ['frontnet', 'svcnet'],
  'db-notes': ['frontnet'],
  redis: ['frontnet'],
  'svc-userauth': ['svcnet', 'authnet'],
  'db-userauth': ['authnet'],
};

/** The containers of the table, in its order. */
export const DESIGN_CONTAINERS = Object.keys(DESIGN_NETWORKS);

/** Pairs DESIGN 1 says must never reach each other, whatever the matrix above grows into. */
export const NEVER_REACH: readonly (readonly [string, string])[] = [
  ['svc-notes', 'db-userauth'],
  ['svc-userauth', 'db-notes'],
  ['svc-userauth', 'redis'],
  ['db-notes', 'db-userauth'],
  ['redis', 'db-userauth'],
];

/** True when the table puts `from` and `to` on a common network. */
export function mayConnect(from: string, to: string): boolean {
  const a = DESIGN_NETWORKS[from] ?? [];
  return (DESIGN_NETWORKS[to] ?? []).some((n) => a.includes(n));
}
