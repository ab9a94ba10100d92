import { LATENCY_BUCKETS } from '@notes/kit/metrics';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { CollabWiring } from '../collab/collab-wiring.js';

/**
 * Editing together (DESIGN 4.9) on this replica:
 *   notes_collab_loaded_documents                 documents held in memory now
 *   notes_collab_updates_stored_total             updates written to the log (acknowledged)
 *   notes_collab_updates_refused_total{reason}    updates refused: rate_limited, forbidden, too_large,
 *                                                 invalid, not_found, unavailable, internal
 *   notes_collab_store_batch_rows                 rows per INSERT into the log (updates arriving together)
 *   notes_collab_store_duration_seconds           time of one such INSERT (what an acknowledgement waits for)
 *   notes_collab_compacted_rows_total / notes_collab_compactions_total   log rows merged, passes run
 */
export function instrumentCollab(collab: CollabWiring, registry: Registry): void {
  new Gauge({
    name: 'notes_collab_loaded_documents',
    help: 'Shared documents loaded on this replica (notes someone has open here)',
    registers: [registry],
    collect() {
      this.set(collab.loadedDocs());
    },
  });
  const stored = new Counter({
    name: 'notes_collab_updates_stored_total',
    help: 'Editor updates stored in the update log (each acknowledged once stored)',
    registers: [registry],
  });
  const refused = new Counter({
    name: 'notes_collab_updates_refused_total',
    help: 'Editor updates refused, by reason (the error code of the acknowledgement)',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  const batchRows = new Histogram({
    name: 'notes_collab_store_batch_rows',
    help: 'Updates stored by one INSERT (those that arrived together)',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512],
    registers: [registry],
  });
  const storeSeconds = new Histogram({
    name: 'notes_collab_store_duration_seconds',
    help: 'Time of one INSERT into the update log',
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const compactions = new Counter({
    name: 'notes_collab_compactions_total',
    help: 'Compaction passes that merged log rows into a note',
    registers: [registry],
  });
  const compactedRows = new Counter({
    name: 'notes_collab_compacted_rows_total',
    help: 'Update log rows merged into their note by compaction',
    registers: [registry],
  });
  collab.observe({
    stored(rows, seconds) {
      stored.inc(rows);
      batchRows.observe(rows);
      storeSeconds.observe(seconds);
    },
    refused(reason) {
      refused.inc({ reason });
    },
    compacted(rows) {
      compactions.inc();
      compactedRows.inc(rows);
    },
  });
}
