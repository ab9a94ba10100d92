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
}

const states = new WeakMap<Socket, WriteState>();

/**
 * The gate of every socket write (`create-message`, `delete-message`, and any later one): a token
 * bucket per socket, then the user's bucket (WriteLimiter). A refused write throws `rate_limited`
 * (its acknowledgement says so); a socket that keeps writing after REFUSALS_BEFORE_DISCONNECT
 * refusals in a row is disconnected.
 */
export function socketWriteGate(limiter: WriteLimiter, logger: Logger) {
  return async (socket: Socket): Promise<void> => {
    let state = states.get(socket);
    if (!state) {
      state = { bucket: new TokenBucket(limiter.limits), refusedInARow: 0 };
      states.set(socket, state);
    }
    const visitor = socketVisitor(socket);
    const allowed = state.bucket.take() && (!visitor || (await limiter.allowUser(visitor.username)));
    if (allowed) {
      state.refusedInARow = 0;
      return;
    }
    state.refusedInARow++;
    if (state.refusedInARow === REFUSALS_BEFORE_DISCONNECT) {
      logger.warn({ user: visitor?.username ?? null }, 'socket disconnected: too many writes');
      // After this answer has gone out.
      setImmediate(() => socket.disconnect(true));
    }
    throw rateLimited();
  };
}

export type SocketWriteGate = ReturnType<typeof socketWriteGate>;
