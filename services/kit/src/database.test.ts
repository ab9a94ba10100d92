import { createTestDatabase } from '@notes/testkit/vitest';
import { afterAll, describe, expect, it } from 'vitest';
import { databaseReachable, openDatabase } from './database.js';
import { migrateUp } from './migrations.js';

const migrations = [
  {
    name: '001-things',
    up: async (qi: import('sequelize').QueryInterface) => {
      const { DataTypes } = await import('sequelize');
      await qi.createTable('things', {
        id: { type: DataTypes.INTEGER, primaryKey: true },
        name: DataTypes.STRING(20),
      });
    },
    down: async (qi: import('sequelize').QueryInterface) => qi.dropTable('things'),
  },
];

describe.each(['sqlite', 'mysql'] as const)('openDatabase (%s)', (dialect) => {
  const cleanup: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const c of cleanup) await c();
  });

  it('connects, migrates once, and stores unicode', async () => {
    let url = 'sqlite::memory:';
    if (dialect === 'mysql') {
      const tdb = await createTestDatabase('kit');
      cleanup.push(tdb.drop);
      url = tdb.url;
    }
    const db = openDatabase({ url });
    cleanup.unshift(() => db.close());
    expect(await databaseReachable(db)).toBe(true);
    expect(await migrateUp(db, migrations)).toEqual(['001-things']);
    expect(await migrateUp(db, migrations)).toEqual([]);
    await db.query("INSERT INTO things (id, name) VALUES (1, 'naïve 🦄')");
    const [rows] = await db.query('SELECT name FROM things');
    expect(rows).toEqual([{ name: 'naïve 🦄' }]);
  });

  it('reports an unreachable database as not ready', async () => {
    if (dialect === 'sqlite') return;
    const db = openDatabase({ url: 'mysql://root@127.0.0.1:1/nothing' });
    expect(await databaseReachable(db, 1000)).toBe(false);
    await db.close();
  });
});
