import { type ModelStatic, Op, type Sequelize } from 'sequelize';
import type { Comment } from './comment.js';
import { type CommentRow, defineCommentModel } from './comment-model.js';

/** The plain comment of a row (fresh Date objects, whatever the dialect hands back). */
function toComment({ id, noteKey, author, message, createdAt }: CommentRow): Comment {
  return { id, noteKey, author, message, createdAt: new Date(createdAt) };
}

/** Sequelize access to comments; every method returns plain objects. */
export class CommentRepository {
  private readonly comments: ModelStatic<CommentRow>;

  constructor(db: Sequelize) {
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
    const rows = await this.comments.findAll({
      where: beforeId === undefined ? { noteKey } : { noteKey, id: { [Op.lt]: beforeId } },
      order: [
        ['createdAt', 'DESC'],
        ['id', 'DESC'],
      ],
      limit: limit + 1,
    });
    return { comments: rows.slice(0, limit).map(toComment), more: rows.length > limit };
  }

  async destroy(id: number): Promise<boolean> {
    return (await this.comments.destroy({ where: { id } })) > 0;
  }
}
