import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { formatLogLine, prettyDestination } from './log-format.js';
import { createLogger } from './logger.js';

const at = (h: number, m: number, s: number, ms: number) => new Date(2026, 0, 2, h, m, s, ms).toISOString();

describe('formatLogLine', () => {
  it('puts time, level, service and message first, then the other fields as key=value', () => {
    const line = formatLogLine(
      JSON.stringify({
        level: 30,
        time: at(14, 5, 9, 42),
        service: 'userauth',
        name: 'userauth',
        msg: 'listening',
        url: 'http://127.0.0.1:5858',
        keys: ['notes'],
        database: 'sqlite:./data/x y.sqlite',
      }),
    );
    expect(line).toBe(
      '14:05:09.042 INFO  userauth listening url=http://127.0.0.1:5858 keys=["notes"] database="sqlite:./data/x y.sqlite"',
    );
  });

  it('keeps a name that differs from the service (duplicate keys: JSON.parse keeps the last value)', () => {
    const line = formatLogLine(
      '{"level":30,"time":1,"service":"notes","name":"notes","event":"migrated","name":"001-notes","msg":"migration"}',
    );
    expect(line).toMatch(/ INFO {2}notes migration name=001-notes event=migrated$/);
  });

  it('sums up a request of either service as method, path, status and time', () => {
    const notes = formatLogLine(
      JSON.stringify({
        level: 40,
        time: at(9, 0, 0, 0),
        service: 'notes',
        reqId: 1,
        req: { id: 1, method: 'GET', path: '/nope' },
        res: { status: 404 },
        responseTime: 70.546,
        msg: 'request completed',
      }),
    );
    expect(notes).toBe('09:00:00.000 WARN  notes request completed GET /nope 404 71ms reqId=1');
    const userauth = formatLogLine(
      JSON.stringify({
        level: 30,
        time: at(9, 0, 0, 0),
        service: 'userauth',
        method: 'GET',
        path: '/list',
        status: 200,
        ms: 5,
        client: 'notes',
        msg: 'request',
      }),
    );
    expect(userauth).toBe('09:00:00.000 INFO  userauth request GET /list 200 5ms client=notes');
  });

  it('shows an error by its message with the stack frames indented below', () => {
    const line = formatLogLine(
      JSON.stringify({
        level: 50,
        time: at(1, 2, 3, 4),
        service: 'notes',
        msg: 'failed',
        err: {
          type: 'Error',
          message: 'boom',
          stack: 'Error: boom\n    at a (x.js:1:1)\n    at b (y.js:2:2)',
        },
      }),
    );
    expect(line.split('\n')).toEqual([
      '01:02:03.004 ERROR notes failed err=boom',
      '    at a (x.js:1:1)',
      '    at b (y.js:2:2)',
    ]);
  });

  it('colours only when asked, and passes through what is not a JSON object', () => {
    const json = JSON.stringify({ level: 40, time: at(0, 0, 0, 0), service: 's', msg: 'm' });
    expect(formatLogLine(json)).not.toContain('\x1b[');
    expect(formatLogLine(json, true)).toContain('\x1b[33mWARN \x1b[0m');
    expect(formatLogLine('plain text')).toBe('plain text');
    expect(formatLogLine('[1,2]')).toBe('[1,2]');
  });
});

describe('prettyDestination', () => {
  it('turns the real logger output into one readable line a record, secrets still redacted', () => {
    let out = '';
    const sink = new Writable({
      write(chunk, _enc, done) {
        out += chunk;
        done();
      },
    });
    const logger = createLogger('kit-test', 'info', prettyDestination(sink, false) as NodeJS.WritableStream);
    logger.info({ user: 'alice', password: 'hunter22' }, 'logged in');
    logger.debug('not shown at info');
    logger.warn('second');
    const lines = out.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^\d\d:\d\d:\d\d\.\d{3} INFO {2}kit-test logged in user=alice password=\[redacted\]$/,
    );
    expect(lines[1]).toMatch(/ WARN {2}kit-test second$/);
  });
});
