import { type ModelStatic, Op, type Sequelize } from 'sequelize';
import type { PreparedRead } from '../db/prepared-reads.js';
import type { Comment } from './comment.js';
import { type CommentRow, defineCommentModel } from './comment-model.js';

/** The plain comment of a row (fresh Date objects, whatever the dialect hands back). */
function toComment({ id, noteKey, author, message, createdAt, editedAt }: Comment): Comment {
  return {
    id,
    noteKey,
    author,
    message,
    createdAt: new Date(createdAt),
    editedAt: editedAt ? new Date(editedAt) : null,
  };
}

const COLUMNS = 'id, noteKey, author, message, createdAt, editedAt';
const NEWEST =
  `SELECT ${COLUMNS} FROM comments WHERE noteKey = ? AND deletedAt IS NULL` +
  ' ORDER BY createdAt DESC, id DESC LIMIT ?';
const OLDER_THAN =
  `SELECT ${COLUMNS} FROM comments WHERE noteKey = ? AND id < ? AND deletedAt IS NULL` +
  ' ORDER BY createdAt DESC, id DESC LIMIT ?';

/**
 * Access to comments; every method returns plain objects. The list of a note page is a prepared
 * statement on the driver (db/prepared-reads.ts); writes go through the Sequelize model. A comment
 * whose deletion may still be undone (`deletedAt` set) is invisible to every read but `findPending`.
 */
export class CommentRepository {
  private readonly comments: ModelStatic<CommentRow>;

  constructor(
    db: Sequelize,
    private readonly read: PreparedRead,
  ) {
    this.comments = (db.models.Comment as ModelStatic<CommentRow> | undefined) ?? defineCommentModel(db);
  }

  async create(input: { noteKey: string; author: string; message: string }): Promise<Comment> {
    const row = await this.comments.create(input);
    return toComment(row);
  }

  async find(id: number): Promise<Comment | null> {
    const row = await this.comments.findOne({ where: { id, deletedAt: null } });
    return row ? toComment(row) : null;
  }

  /** A comment whose deletion may still be undone. */
  async findPending(id: number): Promise<Comment | null> {
    const row = await this.comments.findOne({ where: { id, deletedAt: { [Op.ne]: null } } });
    return row ? toComment(row) : null;
  }

  /** The newest `limit` comments of a note, newest first, optionally older than comment `beforeId`. */
  async newest(
    noteKey: string,
    limit: number,
    beforeId?: number,
  ): Promise<{ comments: Comment[]; more: boolean }> {
    const rows =
      beforeId === undefined
        ? await this.read<Comment>(NEWEST, [noteKey, limit + 1])
        : await this.read<Comment>(OLDER_THAN, [noteKey, beforeId, limit + 1]);
    return { comments: rows.slice(0, limit).map(toComment), more: rows.length > limit };
  }

  /** New text for a visible comment; null when there is none with that id. */
  async edit(id: number, message: string): Promise<Comment | null> {
    const [n] = await this.comments.update(
      { message, editedAt: new Date() },
      { where: { id, deletedAt: null } },
    );
    return n > 0 ? this.find(id) : null;
  }

  /** Hides a comment until `restore` or `purgeDeleted`; false when it was not visible. */
  async markDeleted(id: number): Promise<boolean> {
    const [n] = await this.comments.update({ deletedAt: new Date() }, { where: { id, deletedAt: null } });
    return n > 0;
  }

  /** Shows a hidden comment again; false when it is no longer there to restore. */
  async restore(id: number): Promise<boolean> {
    const [n] = await this.comments.update(
      { deletedAt: null },
      { where: { id, deletedAt: { [Op.ne]: null } } },
    );
    return n > 0;
  }

  /** Removes for good the comments hidden before `before`; how many. */
  async purgeDeleted(before: Date): Promise<number> {
    return this.comments.destroy({ where: { deletedAt: { [Op.lt]: before } } });
  }

  async destroy(id: number): Promise<boolean> {
    return (await this.comments.destroy({ where: { id } })) > 0;
  }
}
