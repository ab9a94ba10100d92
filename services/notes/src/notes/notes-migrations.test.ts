import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMigrator, openDatabase } from '@notes/kit';
import { createTestDatabase } from '@notes/testkit/vitest';
import { QueryTypes } from 'sequelize';
import { describe, expect, it } from 'vitest';
import { migrations } from '../db/migrations.js';
import { DIALECTS } from '../testing/dialects.js';
import { previewOf } from './note-preview.js';

/** Upgrading a database with notes: migration 060 gives each the list preview of its body. */
describe.each(DIALECTS)('migration 060 on a database with notes (%s)', (dialect) => {
  it('each existing note, trashed ones too, gets the preview the list showed before', async () => {
    const dir = dialect === 'sqlite' ? mkdtempSync(join(tmpdir(), 'notes-mig-')) : undefined;
    const mariadb = dialect === 'mariadb' ? await createTestDatabase('notes_mig060') : undefined;
    const db = openDatabase({ url: mariadb?.url ?? `sqlite:${join(dir!, 'notes.sqlite')}` });
    try {
      const migrator = createMigrator(db, migrations);
      await migrator.up({ to: '050-user-sessions' });
      const long = `# Titel\n\nSome **bold** [link](https://example.org) 東京都庁 😀 ${'word '.repeat(150)}`;
      const bodies = { long, short: 'Just `code` and _more_', empty: '' };
      const at = new Date('2025-05-06T07:08:09.123Z');
      for (const [key, body] of Object.entries(bodies)) {
        await db.query(
          'INSERT INTO notes (`key`, title, body, owner, version, visibility, createdAt, updatedAt, deletedAt) VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?)',
          { replacements: [key, key, body, 'olga', 'team', at, at, key === 'short' ? at : null] },
        );
      }
      await migrator.up();
      const rows = await db.query<{ key: string; preview: string }>(
        'SELECT `key`, preview FROM notes ORDER BY `key`',
        { type: QueryTypes.SELECT },
      );
      expect(rows).toEqual([
        { key: 'empty', preview: '' },
        { key: 'long', preview: previewOf(long) },
        { key: 'short', preview: 'Just code and _more_' },
      ]);
      expect(previewOf(long).startsWith('Titel Some bold link 東京都庁 😀 word word')).toBe(true);
      expect(previewOf(long).endsWith('…')).toBe(true);
    } finally {
      await db.close();
      await mariadb?.drop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    }
  });
});
