import type { Logger } from '@notes/kit';
import type { Socket } from 'socket.io';
import { TokenBucket } from '../limits/token-bucket.js';
import { rateLimited, type WriteLimiter } from '../limits/write-limiter.js';
import { socketVisitor } from './socket-session.js';

/** A socket refused this many writes in a row is disconnected. */
export const REFUSALS_BEFORE_DISCONNECT = 20;

interface WriteState {
  bucket: TokenBucket;
  refusedInARow: number;
  /** Writes not yet answered (checked or being written). */
  inFlight: number;
  closing: boolean;
}

const states = new WeakMap<Socket, WriteState>();

function stateOf(socket: Socket, limiter: WriteLimiter): WriteState {
  let state = states.get(socket);
  if (!state) {
    state = { bucket: new TokenBucket(limiter.limits), refusedInARow: 0, inFlight: 0, closing: false };
    states.set(socket, state);
  }
  return state;
}

/**
 * The gate of every socket write (`create-message`, `delete-message`, and any later one): a token
 * bucket per socket, then the user's bucket (WriteLimiter), then the write itself. A refused write
 * throws `rate_limited` (its acknowledgement says so). A socket refused
 * REFUSALS_BEFORE_DISCONNECT times in a row is disconnected once its admitted writes are answered
 * (so every write it was told succeeded did, and it learns so).
 */
export function socketWriteGate(limiter: WriteLimiter, logger: Logger) {
  const closeWhenIdle = (socket: Socket, state: WriteState) => {
    if (state.closing && state.inFlight === 0) setImmediate(() => socket.disconnect(true));
  };
  return async <T>(socket: Socket, write: () => Promise<T>): Promise<T> => {
    const state = stateOf(socket, limiter);
    const visitor = socketVisitor(socket);
    state.inFlight++;
    try {
      const allowed =
        !state.closing && state.bucket.take() && (!visitor || (await limiter.allowUser(visitor.username)));
      if (!allowed) {
        state.refusedInARow++;
        if (state.refusedInARow === REFUSALS_BEFORE_DISCONNECT) {
          state.closing = true;
          logger.warn({ user: visitor?.username ?? null }, 'socket disconnected: too many writes');
        }
        throw rateLimited();
      }
      state.refusedInARow = 0;
      return await write();
    } finally {
      state.inFlight--;
      closeWhenIdle(socket, state);
    }
  };
}

export type SocketWriteGate = ReturnType<typeof socketWriteGate>;
