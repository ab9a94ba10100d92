import { ClientClosedError, ClientOfflineError, SocketClosedUnexpectedlyError, TimeoutError } from 'redis';
import { ConnectionRefusedError, DatabaseError, ValidationError } from 'sequelize';
import { describe, expect, it } from 'vitest';
import { unavailableStore } from './store-fault.js';

describe('unavailableStore', () => {
  it('names Redis for the errors of a client while Redis is away', () => {
    for (const err of [
      new ClientOfflineError(),
      new ClientClosedError(),
      new SocketClosedUnexpectedlyError(),
      new TimeoutError(),
    ])
      expect(unavailableStore(err), err.message).toBe('redis');
  });

  it('names the database for refused, lost and shut-down connections', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(unavailableStore(new ConnectionRefusedError(refused))).toBe('database');
    const lost = Object.assign(new Error('Connection lost: The server closed the connection.'), {
      code: 'PROTOCOL_CONNECTION_LOST',
    });
    expect(unavailableStore(new DatabaseError(lost as never))).toBe('database');
    const shutdown = Object.assign(new Error('Server shutdown in progress'), { code: 'ER_SERVER_SHUTDOWN' });
    expect(unavailableStore(new DatabaseError(shutdown as never))).toBe('database');
  });

  it('leaves every other error alone (a bug stays a 500)', () => {
    const syntax = Object.assign(new Error('You have an error in your SQL syntax'), {
      code: 'ER_PARSE_ERROR',
    });
    expect(unavailableStore(new DatabaseError(syntax as never))).toBeUndefined();
    expect(unavailableStore(new ValidationError('bad', []))).toBeUndefined();
    expect(unavailableStore(new TypeError('x is undefined'))).toBeUndefined();
    expect(unavailableStore('a string')).toBeUndefined();
  });
});
