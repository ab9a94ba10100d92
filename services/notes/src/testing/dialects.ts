import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestNotes, startTestNotesOnMariadb, type TestNotes } from './notes-in-process.js';

/** The two shapes svc-notes runs in: production (MariaDB + Redis) and embedded (SQLite, no Redis). */
export const DIALECTS = ['mariadb', 'sqlite'] as const;
export type Dialect = (typeof DIALECTS)[number];

/**
 * svc-notes in this process on `dialect`: a fresh MariaDB database with the run's Redis, or a
 * SQLite file in a fresh folder without Redis; close() removes the database or the folder.
 */
export async function startTestNotesOn(
  dialect: Dialect,
  name: string,
  userauth: { url: string; apiKey: string },
  env: Record<string, string | undefined> = {},
): Promise<TestNotes> {
  if (dialect === 'mariadb') return startTestNotesOnMariadb(name, userauth, env);
  const dir = mkdtempSync(join(tmpdir(), `${name}-`));
  try {
    const notes = await startTestNotes({
      NOTES_DB_URL: `sqlite:${join(dir, 'notes.sqlite')}`,
      USERAUTH_URL: userauth.url,
      USERAUTH_API_KEY: userauth.apiKey,
      ...env,
    });
    return {
      ...notes,
      close: async () => {
        await notes.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
