import { describe, expect, it } from 'vitest';
import { readConfig } from '../config.js';

describe('NOTES_IMPORT_* limits (config.ts)', () => {
  const base = { NOTES_SESSION_SECRET: 's'.repeat(32), USERAUTH_API_KEY: 'notes:key' };

  it('default to 20 MiB sent, 5 MiB a file, 1,000 files and 100 MiB unpacked', () => {
    const config = readConfig(base);
    expect([
      config.NOTES_IMPORT_MAX_UPLOAD_BYTES,
      config.NOTES_IMPORT_MAX_FILE_BYTES,
      config.NOTES_IMPORT_MAX_FILES,
      config.NOTES_IMPORT_MAX_UNPACKED_BYTES,
    ]).toEqual([20 * 2 ** 20, 5 * 2 ** 20, 1000, 100 * 2 ** 20]);
  });

  it('refuse a file limit larger than what an import may send or unpack, one line each', () => {
    expect(() =>
      readConfig({
        ...base,
        NOTES_IMPORT_MAX_FILE_BYTES: '4096',
        NOTES_IMPORT_MAX_UPLOAD_BYTES: '2048',
        NOTES_IMPORT_MAX_UNPACKED_BYTES: '3000',
      }),
    ).toThrow(
      /NOTES_IMPORT_MAX_UPLOAD_BYTES: must be at least NOTES_IMPORT_MAX_FILE_BYTES \(4096\)\n\s*NOTES_IMPORT_MAX_UNPACKED_BYTES: must be at least/,
    );
    expect(() => readConfig({ ...base, NOTES_IMPORT_MAX_FILES: '0' })).toThrow(
      /NOTES_IMPORT_MAX_FILES: must be at least 1/,
    );
  });
});
