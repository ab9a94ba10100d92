import { AppError } from '@notes/kit';
import { ConnectionRefusedError, DatabaseError } from 'sequelize';
import { describe, expect, it } from 'vitest';
import { DATABASE_UNAVAILABLE, toErrorAnswer } from './errors.js';

describe('toErrorAnswer', () => {
  it('answers a refused or lost database connection with a 503, not a 500', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(toErrorAnswer(new ConnectionRefusedError(refused), 1024)).toBe(DATABASE_UNAVAILABLE);
    const lost = Object.assign(new Error('Connection lost'), { code: 'PROTOCOL_CONNECTION_LOST' });
    expect(toErrorAnswer(new DatabaseError(lost as never), 1024)?.status).toBe(503);
  });

  it('leaves other database errors to the 500 path and AppErrors as they are', () => {
    const syntax = Object.assign(new Error('syntax'), { code: 'ER_PARSE_ERROR' });
    expect(toErrorAnswer(new DatabaseError(syntax as never), 1024)).toBeUndefined();
    expect(toErrorAnswer(AppError.notFound('no such user'), 1024)).toEqual({
      status: 404,
      body: { code: 'not_found', message: 'no such user' },
    });
  });
});
