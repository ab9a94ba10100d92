import type { ModelStatic, Sequelize } from 'sequelize';
import type { PreparedRead } from '../db/prepared-reads.js';
import type { Comment } from './comment.js';
import { type CommentRow, defineCommentModel } from './comment-model.js';

/** The plain comment of a row (fresh Date objects, whatever the dialect hands back). */
function toComment({ id, noteKey, author, message, createdAt }: Comment): Comment {
  return { id, noteKey, author, message, createdAt: new Date(createdAt) };
}

const NEWEST =
  'SELECT id, noteKey, author, message, createdAt FROM comments WHERE noteKey = ?' +
  ' ORDER BY createdAt DESC, id DESC LIMIT ?';
const OLDER_THAN =
  'SELECT id, noteKey, author, message, createdAt FROM comments WHERE noteKey = ? AND id < ?' +
  ' ORDER BY createdAt DESC, id DESC LIMIT ?';

/**
 * Access to comments; every method returns plain objects. The list of a note page is a prepared
 * statement on the driver (db/prepared-reads.ts); writes go through the Sequelize model.
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
    const row = await this.comments.findByPk(id);
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

  async destroy(id: number): Promise<boolean> {
    return (await this.comments.destroy({ where: { id } })) > 0;
  }
}
