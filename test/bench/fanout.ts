import { io, type Socket } from 'socket.io-client';
import { log, withTimeout } from './log.js';

/** Socket.IO clients on the `/notes` namespace, all joined to one note's room. */
export interface Swarm {
  sockets: Socket[];
  /** Resolves with each client's receive time (performance.now()) of the next `noteupdated` of `version`. */
  nextUpdate: (version: number, timeoutMs: number) => Promise<number[]>;
  close: (count?: number) => void;
}

const BATCH = 50;

/** Opens `count` WebSocket clients to `base` in batches of 50, each joining the room of `key`. */
export async function openSwarm(
  base: string,
  key: string,
  count: number,
  timeoutMs = 60_000,
): Promise<Swarm> {
  const sockets: Socket[] = [];
  const waiting = new Map<number, { times: Map<number, number>; left: number; done: () => void }>();
  const deadline = Date.now() + timeoutMs;
  try {
    for (let start = 0; start < count; start += BATCH) {
      if (Date.now() > deadline)
        throw new Error(`only ${sockets.length} of ${count} sockets connected in time`);
      const batch: Promise<void>[] = [];
      for (let i = start; i < Math.min(count, start + BATCH); i++) {
        const socket = io(`${base}/notes`, {
          transports: ['websocket'],
          forceNew: true,
          reconnection: false,
          timeout: 20_000,
          extraHeaders: { origin: base },
        });
        sockets.push(socket);
        socket.on('noteupdated', (note: { version?: number }) => {
          const at = performance.now();
          const w = note.version === undefined ? undefined : waiting.get(note.version);
          if (!w || w.times.has(i)) return;
          w.times.set(i, at);
          if (--w.left === 0) w.done();
        });
        batch.push(
          new Promise<void>((resolve, reject) => {
            socket.once('connect_error', (err) => reject(new Error(`socket ${i}: ${err.message}`)));
            socket.once('connect', () => {
              socket.timeout(20_000).emit('join', { key }, (err: Error | null, reply: { ok?: boolean }) => {
                if (err) reject(new Error(`socket ${i}: join timed out`));
                else if (reply && reply.ok === false) reject(new Error(`socket ${i}: join refused`));
                else resolve();
              });
            });
          }),
        );
      }
      await withTimeout(Promise.all(batch), Math.max(1000, deadline - Date.now()), 'opening sockets');
    }
  } catch (err) {
    for (const s of sockets) s.close();
    throw err;
  }
  log(`${count} sockets connected to ${base} and joined note ${key}`);
  return {
    sockets,
    nextUpdate: (version, waitMs) => {
      if (sockets.length === 0) return Promise.resolve([]);
      const times = new Map<number, number>();
      return withTimeout(
        new Promise<number[]>((resolve) => {
          waiting.set(version, { times, left: sockets.length, done: () => resolve([...times.values()]) });
        }),
        waitMs,
        `noteupdated v${version} reaching all ${sockets.length} sockets`,
      ).finally(() => waiting.delete(version));
    },
    close: (n = sockets.length) => {
      for (const s of sockets.splice(0, n)) s.close();
    },
  };
}
