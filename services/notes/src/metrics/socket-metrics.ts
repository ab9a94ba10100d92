import { Counter, Gauge, type Registry } from 'prom-client';
import type { Server } from 'socket.io';

interface Packet {
  data?: unknown[];
}

/**
 * `notes_socket_connections` (open Socket.IO connections of this replica) and
 * `notes_live_events_sent_total{namespace,event}` (live events this replica broadcast; those that
 * arrive from other replicas through Redis are counted where they were sent).
 */
export function instrumentSockets(io: Server, registry: Registry, namespaces: string[]): void {
  new Gauge({
    name: 'notes_socket_connections',
    help: 'Open Socket.IO connections on this replica',
    registers: [registry],
    collect() {
      this.set(io.engine.clientsCount);
    },
  });
  const sent = new Counter({
    name: 'notes_live_events_sent_total',
    help: 'Live events broadcast by this replica, by namespace and event',
    labelNames: ['namespace', 'event'] as const,
    registers: [registry],
  });
  for (const name of namespaces) {
    const adapter = io.of(name).adapter as unknown as {
      broadcast: (packet: Packet, opts: unknown) => unknown;
    };
    const original = adapter.broadcast.bind(adapter);
    adapter.broadcast = (packet, opts) => {
      const event = packet.data?.[0];
      sent.inc({ namespace: name, event: typeof event === 'string' ? event : 'unknown' });
      return original(packet, opts);
    };
  }
}
