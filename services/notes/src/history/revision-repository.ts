import { characterCount } from '@notes/kit';
import { type ModelStatic, Op, type Sequelize, type Transaction } from 'sequelize';
import type { Revision, RevisionSummary } from './revision.js';
import { defineRevisionModel, type RevisionRow } from './revision-model.js';
import { excessRevisions, type RevisionSettings, recordingOf, type SavedChange } from './revision-rules.js';

const SUMMARY = ['number', 'author', 'title', 'size', 'restoredFrom', 'createdAt', 'updatedAt'] as const;
type SummaryRow = Pick<RevisionRow, (typeof SUMMARY)[number]>;

function toSummary(row: SummaryRow, previousSize: number | null): RevisionSummary {
  return {
    number: row.number,
    author: row.author,
    title: row.title,
    size: row.size,
    restoredFrom: row.restoredFrom ?? null,
    createdAt: new Date(row.createdAt),
    updatedAt: new Date(row.updatedAt),
    previousSize,
  };
}

function toRevision(row: RevisionRow): Revision {
  const { previousSize: _, ...revision } = toSummary(row, null);
  return { ...revision, body: row.body };
}

/** Sequelize access to `note_revisions`; every method returns plain objects. */
export class RevisionRepository {
  private readonly revisions: ModelStatic<RevisionRow>;

  constructor(db: Sequelize) {
    this.revisions =
      (db.models.NoteRevision as ModelStatic<RevisionRow> | undefined) ?? defineRevisionModel(db);
  }

  /**
   * Records a saved change of note `noteKey` inside the transaction that saved it: folds it into
   * the newest revision, adds a new one, or does nothing (revision-rules.ts), then drops the
   * oldest revisions after the first beyond the bound. The caller's write of the note row comes
   * first in the transaction, so concurrent saves of one note are recorded one after the other.
   */
  async record(noteKey: string, change: SavedChange, settings: RevisionSettings, tx: Transaction) {
    const latest = await this.revisions.findOne({
      where: { noteKey },
      order: [['number', 'DESC']],
      transaction: tx,
    });
    const size = characterCount(change.body);
    const recording = recordingOf(
      latest ? { ...latest.get(), createdAt: new Date(latest.createdAt) } : null,
      change,
      settings,
    );
    if (recording === 'unchanged') return;
    if (recording === 'fold' && latest) {
      await this.revisions.update(
        { title: change.title, body: change.body, size, updatedAt: change.at },
        { where: { id: latest.id }, transaction: tx },
      );
      return;
    }
    const number = (latest?.number ?? 0) + 1;
    await this.revisions.create(
      {
        noteKey,
        number,
        author: change.author,
        title: change.title,
        body: change.body,
        size,
        restoredFrom: change.restoredFrom ?? null,
        createdAt: change.at,
        updatedAt: change.at,
      },
      { transaction: tx },
    );
    // Numbers are unique and start at 1, so a note never has more revisions than its newest
    // number: below the bound there is nothing to count.
    if (number > settings.keep) await this.prune(noteKey, settings.keep, tx);
  }

  /** Drops the oldest revisions after the first until `keep` remain (the newest is never among them). */
  private async prune(noteKey: string, keep: number, tx: Transaction): Promise<void> {
    const count = await this.revisions.count({ where: { noteKey }, transaction: tx });
    const excess = excessRevisions(count, keep);
    if (excess === 0) return;
    const doomed = await this.revisions.findAll({
      attributes: ['id'],
      where: { noteKey },
      order: [['number', 'ASC']],
      offset: 1,
      limit: excess,
      raw: true,
      transaction: tx,
    });
    await this.revisions.destroy({ where: { id: { [Op.in]: doomed.map((r) => r.id) } }, transaction: tx });
  }

  /**
   * One page of the history, newest first, without the bodies: `limit + 1` rows, so the row after
   * each is the one before it in time (its size gives the size change) and tells whether more follow.
   */
  async page(noteKey: string, offset: number, limit: number) {
    const rows = await this.revisions.findAll({
      attributes: [...SUMMARY],
      where: { noteKey },
      order: [['number', 'DESC']],
      offset,
      limit: limit + 1,
      raw: true,
    });
    const revisions = rows.slice(0, limit).map((row, i) => toSummary(row, rows[i + 1]?.size ?? null));
    return { revisions, hasNext: rows.length > limit };
  }

  count(noteKey: string): Promise<number> {
    return this.revisions.count({ where: { noteKey } });
  }

  async find(noteKey: string, number: number): Promise<Revision | null> {
    const row = await this.revisions.findOne({ where: { noteKey, number } });
    return row ? toRevision(row) : null;
  }

  /** The kept revision just before `number`, or null for the oldest. */
  async before(noteKey: string, number: number): Promise<Revision | null> {
    const row = await this.revisions.findOne({
      where: { noteKey, number: { [Op.lt]: number } },
      order: [['number', 'DESC']],
    });
    return row ? toRevision(row) : null;
  }

  /** The newest revision's number (0 when there is none). */
  async latestNumber(noteKey: string): Promise<number> {
    return ((await this.revisions.max('number', { where: { noteKey } })) as number | null) ?? 0;
  }
}
