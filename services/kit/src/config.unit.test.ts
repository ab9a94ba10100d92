import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, databaseUrl, loadConfig, logLevel, port, positiveInt } from './config.js';

const shape = {
  PORT: port(5858),
  DB_URL: databaseUrl('sqlite:./data/x.sqlite'),
  COST: positiveInt(10, 4, 15),
  API_KEYS: z.string().min(1),
};

describe('loadConfig', () => {
  it('applies defaults and coerces numbers', () => {
    const cfg = loadConfig(shape, { API_KEYS: 'a:b' });
    expect(cfg).toEqual({ PORT: 5858, DB_URL: 'sqlite:./data/x.sqlite', COST: 10, API_KEYS: 'a:b' });
  });

  it('reads a secret from NAME_FILE and drops the trailing newline', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kit-'));
    writeFileSync(join(dir, 'keys'), 'svc:s3cret\n');
    const cfg = loadConfig(shape, { API_KEYS_FILE: join(dir, 'keys') });
    expect(cfg.API_KEYS).toBe('svc:s3cret');
  });

  it('reports every problem, one line per variable', () => {
    try {
      loadConfig(shape, {
        PORT: 'abc',
        DB_URL: 'postgres://x',
        COST: '99',
        API_KEYS_FILE: '/nonexistent/file',
      });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const problems = (err as ConfigError).problems;
      expect(problems).toHaveLength(4);
      expect(problems.join('\n')).toMatch(/^API_KEYS_FILE: cannot read \/nonexistent\/file \(ENOENT\)$/m);
      expect(problems.join('\n')).toMatch(/^PORT: /m);
      expect(problems.join('\n')).toMatch(/^DB_URL: must start with sqlite: or mysql:\/\/$/m);
      expect(problems.join('\n')).toMatch(/^COST: must be at most 15$/m);
    }
  });

  it('refuses both NAME and NAME_FILE', () => {
    expect(() => loadConfig(shape, { API_KEYS: 'a:b', API_KEYS_FILE: '/x' })).toThrow(
      /either API_KEYS or API_KEYS_FILE/,
    );
  });

  it('says a required variable is required', () => {
    expect(() => loadConfig(shape, {})).toThrow(/API_KEYS: is required/);
  });
});

describe('the field schemas', () => {
  const one = <T>(schema: T, value: string | undefined) => loadConfig({ X: schema as never }, { X: value }).X;
  const problem = (schema: unknown, value: string) => {
    try {
      loadConfig({ X: schema as never }, { X: value });
    } catch (err) {
      return (err as ConfigError).problems;
    }
    throw new Error(`${value} was accepted`);
  };

  it('port: a number 0-65535, else one line naming the variable', () => {
    expect(one(port(80), undefined)).toBe(80);
    expect(one(port(80), '0')).toBe(0);
    expect(one(port(80), '65535')).toBe(65535);
    for (const bad of ['65536', '-1', '1.5', 'http'])
      expect(problem(port(80), bad)).toEqual([expect.stringMatching(/^X: /)]);
  });

  it('databaseUrl: sqlite:, mysql:// or mariadb://', () => {
    expect(one(databaseUrl('sqlite:./x'), undefined)).toBe('sqlite:./x');
    for (const ok of ['sqlite::memory:', 'mysql://u@h:3306/db', 'mariadb://h/db']) {
      expect(one(databaseUrl('sqlite:./x'), ok)).toBe(ok);
    }
    expect(problem(databaseUrl('sqlite:./x'), 'postgres://h/db')).toEqual([
      'X: must start with sqlite: or mysql://',
    ]);
  });

  it('positiveInt: a whole number within its bounds', () => {
    expect(one(positiveInt(10, 4, 15), undefined)).toBe(10);
    expect(one(positiveInt(10, 4, 15), '4')).toBe(4);
    expect(problem(positiveInt(10, 4, 15), '3')).toEqual(['X: must be at least 4']);
    expect(problem(positiveInt(10, 4, 15), '2.5')).toEqual(['X: must be a whole number']);
    expect(problem(positiveInt(10), 'ten')).toEqual([expect.stringMatching(/^X: must be a number/)]);
  });

  it('logLevel: one of pino levels, default info', () => {
    expect(one(logLevel(), undefined)).toBe('info');
    expect(one(logLevel(), 'debug')).toBe('debug');
    expect(problem(logLevel(), 'verbose')).toEqual([expect.stringMatching(/^X: /)]);
  });
});
