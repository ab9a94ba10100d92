import type { Server as HttpServer } from 'node:http';
import type { Logger } from '@notes/kit';
import { createAdapter } from '@socket.io/redis-adapter';
import type { RequestHandler } from 'express';
import { Server } from 'socket.io';
import { originAllowed } from './origin-check.js';

export interface SocketServerOptions {
  logger: Logger;
  sessionMiddleware: RequestHandler;
  allowedOrigins: string[];
  trustProxy: boolean;
  /** Two connected Redis clients (publish, subscribe): events then cross replicas. */
  redis?: { pub: unknown; sub: unknown; prefix: string };
}

/**
 * The Socket.IO server on `http`: WebSocket transport only (no sticky
 * sessions needed), Origin checked, the Express session shared with sockets.
 */
export function createSocketServer(http: HttpServer, options: SocketServerOptions): Server {
  const io = new Server(http, {
    transports: ['websocket'],
    serveClient: true,
    maxHttpBufferSize: 64 * 1024,
    allowRequest: (req, callback) => {
      const ok = originAllowed(req, options.allowedOrigins, options.trustProxy);
      if (!ok)
        options.logger.warn({ origin: req.headers.origin ?? null }, 'socket refused: origin not allowed');
      callback(ok ? null : 'origin not allowed', ok);
    },
  });
  io.engine.use(options.sessionMiddleware);
  if (options.redis)
    io.adapter(createAdapter(options.redis.pub, options.redis.sub, { key: `${options.redis.prefix}:io` }));
  return io;
}
