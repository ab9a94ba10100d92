import { AppError, type Logger } from '@notes/kit';
import { unavailableStore } from '../faults/store-fault.js';
import { STORE_UNAVAILABLE } from '../http/error-handler.js';

export type Ack = (answer: unknown) => void;

/**
 * Runs a socket request and answers its acknowledgement: `{ok: true, ...result}` or
 * `{ok: false, error: {code, message, field?}}`. A store that is away answers `unavailable` (as the
 * HTTP side answers 503); unknown errors are logged and answered generically. `refused`, when
 * given, hears the code of every refusal.
 */
export function answer<T extends object>(
  logger: Logger,
  ack: unknown,
  work: () => Promise<T>,
  refused?: (code: string) => void,
): void {
  const reply: Ack = typeof ack === 'function' ? (ack as Ack) : () => {};
  const refuse = (error: { code: string; message: string; field?: string }) => {
    refused?.(error.code);
    reply({ ok: false, error });
  };
  work().then(
    (result) => reply({ ok: true, ...result }),
    (err: unknown) => {
      if (err instanceof AppError && err.code !== 'internal') {
        refuse({ code: err.code, message: err.message, ...(err.field ? { field: err.field } : {}) });
        return;
      }
      const store = unavailableStore(err);
      if (store) {
        logger.warn({ err: (err as Error).message, store }, 'socket request refused: store unavailable');
        refuse({ code: 'unavailable', message: STORE_UNAVAILABLE[store] });
        return;
      }
      logger.error({ err }, 'socket request failed');
      refuse({ code: 'internal', message: 'Internal Server Error' });
    },
  );
}
