import { AppError, type Logger } from '@notes/kit';

export type Ack = (answer: unknown) => void;

/**
 * Runs a socket request and answers its acknowledgement: `{ok: true, ...result}` or
 * `{ok: false, error: {code, message, field?}}`. Unknown errors are logged and answered generically.
 */
export function answer<T extends object>(logger: Logger, ack: unknown, work: () => Promise<T>): void {
  const reply: Ack = typeof ack === 'function' ? (ack as Ack) : () => {};
  work().then(
    (result) => reply({ ok: true, ...result }),
    (err: unknown) => {
      if (err instanceof AppError && err.code !== 'internal') {
        reply({
          ok: false,
          error: { code: err.code, message: err.message, ...(err.field ? { field: err.field } : {}) },
        });
        return;
      }
      logger.error({ err }, 'socket request failed');
      reply({ ok: false, error: { code: 'internal', message: 'Internal Server Error' } });
    },
  );
}
