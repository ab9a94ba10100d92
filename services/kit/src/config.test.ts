import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, databaseUrl, loadConfig, port, positiveInt } from './config.js';

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
