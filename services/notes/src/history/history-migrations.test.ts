import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMigrator, openDatabase } from '@notes/kit';
import { createTestDatabase } from '@notes/testkit/vitest';
import { QueryTypes } from 'sequelize';
import { describe, expect, it } from 'vitest';
import { migrations } from '../db/migrations.js';
import { DIALECTS } from '../testing/dialects.js';

/** Upgrading a database with notes: migration 030 gives each its current text as revision 1. */
describe.each(DIALECTS)('migration 030 on a database with notes (%s)', (dialect) => {
  it('each existing note gets revision 1 by its owner, with its title, body, size and last change', async () => {
    const dir = dialect === 'sqlite' ? mkdtempSync(join(tmpdir(), 'notes-mig-')) : undefined;
    const mariadb = dialect === 'mariadb' ? await createTestDatabase('notes_mig030') : undefined;
    const db = openDatabase({ url: mariadb?.url ?? `sqlite:${join(dir!, 'notes.sqlite')}` });
    try {
      const migrator = createMigrator(db, migrations);
      await migrator.up({ to: '012-note-links' });
      const at = new Date('2025-05-06T07:08:09.123Z');
      await db.query(
        'INSERT INTO notes (`key`, title, body, owner, version, visibility, createdAt, updatedAt) VALUES (?, ?, ?, ?, 3, ?, ?, ?)',
        { replacements: ['old-note', 'Old', 'héllo 😀', 'olga', 'team', at, at] },
      );
      const [note] = await db.query<{ updatedAt: string }>('SELECT updatedAt FROM notes', {
        type: QueryTypes.SELECT,
      });
      const changed = new Date(note!.updatedAt).toISOString();
      await migrator.up();
      const rows = await db.query<Record<string, unknown>>(
        'SELECT noteKey, number, author, title, body, size, restoredFrom, createdAt FROM note_revisions',
        { type: QueryTypes.SELECT },
      );
      expect(rows.map((r) => ({ ...r, createdAt: new Date(r.createdAt as string).toISOString() }))).toEqual([
        {
          noteKey: 'old-note',
          number: 1,
          author: 'olga',
          title: 'Old',
          body: 'héllo 😀',
          size: 7,
          restoredFrom: null,
          createdAt: changed,
        },
      ]);
    } finally {
      await db.close();
      await mariadb?.drop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    }
  });
});
