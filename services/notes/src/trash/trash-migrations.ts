import type { Migration } from '@notes/kit';
import { DataTypes } from 'sequelize';

/** The schema of the trash (DESIGN 4.8), in the history/trash range 030-039. */
export const trashMigrations: Migration[] = [
  {
    // A deleted note stays in `notes` with its comments, grants, links and revisions (they follow
    // its row), marked by `deletedAt`, until it is restored or purged. Its key is freed at once
    // (renamed to `~t<id>`, which no key may look like) and kept in `trashedKey`, so a new note may
    // take the key meanwhile; `owner, deletedAt` serves the owner's trash page and the purge.
    name: '031-note-trash',
    up: async (qi) => {
      await qi.addColumn('notes', 'deletedAt', { type: DataTypes.DATE(3), allowNull: true });
      await qi.addColumn('notes', 'deletedBy', { type: DataTypes.STRING(100), allowNull: true });
      await qi.addColumn('notes', 'trashedKey', { type: DataTypes.STRING(64), allowNull: true });
      await qi.addIndex('notes', ['owner', 'deletedAt'], { name: 'notes_owner_deleted' });
      await qi.addIndex('notes', ['deletedAt'], { name: 'notes_deleted' });
    },
    down: async (qi) => {
      await qi.removeIndex('notes', 'notes_deleted');
      await qi.removeIndex('notes', 'notes_owner_deleted');
      await qi.removeColumn('notes', 'trashedKey');
      await qi.removeColumn('notes', 'deletedBy');
      await qi.removeColumn('notes', 'deletedAt');
    },
  },
  {
    // Jobs that must run on one replica at a time (the trash purge): a lease per job, taken and
    // renewed by compare and set, in the notes database (so it works without Redis too).
    name: '032-job-leases',
    up: async (qi) => {
      await qi.createTable('job_leases', {
        name: { type: DataTypes.STRING(100), primaryKey: true },
        holder: { type: DataTypes.STRING(100), allowNull: false },
        expiresAt: { type: DataTypes.BIGINT, allowNull: false },
      });
    },
    down: async (qi) => qi.dropTable('job_leases'),
  },
];
