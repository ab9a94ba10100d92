import { CollabClient, type CollabClientOptions } from '../collab/collab-client.js';
import { syncUpdate } from '../collab/collab-protocol.js';
import { connectSocket } from './sockets.js';

/** Yjs itself (the service's copy), to make updates a page would not. */
export * as Y from 'yjs';
export { CollabClient } from '../collab/collab-client.js';
export { COLLAB_UPDATE_MAX, syncUpdate } from '../collab/collab-protocol.js';

/**
 * A headless editor of one note (Yjs in Node, the page's own client class) on `/collab` of `base`,
 * reconnecting by itself; resolves once it joined and synced.
 */
export async function openCollab(
  base: string,
  key: string,
  options: { cookie?: string; origin?: string } & CollabClientOptions = {},
): Promise<CollabClient> {
  const socket = await connectSocket(base, '/collab', {
    ...(options.cookie ? { cookie: options.cookie } : {}),
    ...(options.origin ? { origin: options.origin } : {}),
    reconnection: true,
  });
  const client = new CollabClient(socket, key, options);
  const until = Date.now() + 10_000;
  while (client.state === 'connecting') {
    if (Date.now() > until) throw new Error(`collab client for ${key} did not join`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return client;
}

/** Stops the client and closes its socket. */
export function closeCollab(client: CollabClient): void {
  client.stop();
  client.socket.close();
}

/** Sends a raw Yjs update as an editor would (to try what the server refuses). */
export function sendRawUpdate(client: CollabClient, update: Uint8Array) {
  return client.socket
    .timeout(5000)
    .emitWithAck('sync', { key: client.key, m: syncUpdate(update) }) as Promise<{
    ok: boolean;
    error?: { code: string; message: string };
  }>;
}
