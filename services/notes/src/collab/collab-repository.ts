import {
  DataTypes,
  type Model,
  type ModelStatic,
  Op,
  type Sequelize,
  UniqueConstraintError,
} from 'sequelize';

type StateRow = Model & { noteKey: string; state: Buffer; seq: number; updatedAt: Date };
type UpdateRow = Model & {
  id: number | string;
  noteKey: string;
  data: Buffer;
  author: string;
  createdAt: Date;
};

/** A stored update of the log: its exact id (deleted by it once merged), bytes and author. */
export interface LoggedUpdate {
  id: number;
  data: Uint8Array;
  author: string;
}

export interface StoredState {
  state: Uint8Array;
  seq: number;
}

const bytes = (b: Buffer | Uint8Array): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
/** The same bytes as a Buffer, without copying them. */
const toBuffer = (b: Uint8Array): Buffer => Buffer.from(b.buffer, b.byteOffset, b.byteLength);

/** The collab tables of migration 040: a note's merged Yjs state and its update log. */
export class CollabRepository {
  private readonly states: ModelStatic<StateRow>;
  private readonly updates: ModelStatic<UpdateRow>;

  constructor(db: Sequelize) {
    const blob = DataTypes.BLOB;
    this.states = db.define<StateRow>(
      'NoteCollabState',
      {
        noteKey: { type: DataTypes.STRING(64), primaryKey: true },
        state: { type: blob, allowNull: false },
        seq: { type: DataTypes.INTEGER, allowNull: false },
        updatedAt: { type: DataTypes.DATE(3), allowNull: false },
      },
      { tableName: 'note_collab_states', timestamps: true, createdAt: false },
    );
    this.updates = db.define<UpdateRow>(
      'NoteCollabUpdate',
      {
        id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
        noteKey: { type: DataTypes.STRING(64), allowNull: false },
        data: { type: blob, allowNull: false },
        author: { type: DataTypes.STRING(100), allowNull: false },
        createdAt: { type: DataTypes.DATE(3), allowNull: false },
      },
      { tableName: 'note_collab_updates', timestamps: true, updatedAt: false },
    );
  }

  async state(key: string): Promise<StoredState | null> {
    const row = await this.states.findOne({ where: { noteKey: key }, raw: true });
    return row ? { state: bytes(row.state), seq: row.seq } : null;
  }

  async seq(key: string): Promise<number | null> {
    const row = await this.states.findOne({ attributes: ['seq'], where: { noteKey: key }, raw: true });
    return row ? row.seq : null;
  }

  /** Stores the first state of a note; false when another replica stored one first. */
  async createState(key: string, state: Uint8Array): Promise<boolean> {
    try {
      await this.states.create({ noteKey: key, state: Buffer.from(state), seq: 0 });
      return true;
    } catch (err) {
      if (err instanceof UniqueConstraintError) return false;
      throw err;
    }
  }

  /** Replaces the state only if no other compaction replaced it since `seq` was read. */
  async replaceState(key: string, seq: number, state: Uint8Array): Promise<boolean> {
    const [count] = await this.states.update(
      { state: Buffer.from(state), seq: seq + 1, updatedAt: new Date() },
      { where: { noteKey: key, seq } },
    );
    return count === 1;
  }

  /** Appends one update to the log; resolves once it is committed, with its id. */
  async append(key: string, data: Uint8Array, author: string): Promise<number> {
    const [id] = await this.appendMany([{ key, data, author }]);
    return id as number;
  }

  /**
   * Appends updates to the log in one multi-row INSERT (one statement, so all or none are
   * committed); resolves once they are, with their ids in order. The ids of one statement's rows
   * are consecutive in both dialects, which is how Sequelize reports them: SQLite has one writer;
   * InnoDB gives a multi-row INSERT of known length one range in every lock mode while no
   * INSERT ... SELECT runs on the table (none does) and auto_increment_increment is 1 (the default).
   */
  async appendMany(rows: readonly { key: string; data: Uint8Array; author: string }[]): Promise<number[]> {
    if (rows.length === 0) return [];
    const createdAt = new Date();
    const created = await this.updates.bulkCreate(
      rows.map((r) => ({ noteKey: r.key, data: toBuffer(r.data), author: r.author, createdAt })),
    );
    return created.map((row) => Number(row.id));
  }

  /** The log of a note, oldest first, at most `limit` rows. */
  async log(key: string, limit = 10_000): Promise<LoggedUpdate[]> {
    const rows = await this.updates.findAll({
      attributes: ['id', 'data', 'author'],
      where: { noteKey: key },
      order: [['id', 'ASC']],
      limit,
      raw: true,
    });
    return rows.map((r) => ({ id: Number(r.id), data: bytes(r.data), author: r.author }));
  }

  /** The ids in the log of a note (to find the rows a replica has not applied). */
  async logIds(key: string): Promise<number[]> {
    const rows = await this.updates.findAll({
      attributes: ['id'],
      where: { noteKey: key },
      order: [['id', 'ASC']],
      raw: true,
    });
    return rows.map((r) => Number(r.id));
  }

  async logRows(ids: number[]): Promise<LoggedUpdate[]> {
    if (ids.length === 0) return [];
    const rows = await this.updates.findAll({
      attributes: ['id', 'data', 'author'],
      where: { id: { [Op.in]: ids } },
      order: [['id', 'ASC']],
      raw: true,
    });
    return rows.map((r) => ({ id: Number(r.id), data: bytes(r.data), author: r.author }));
  }

  /** Deletes exactly these rows (the merged ones; rows appended meanwhile stay). */
  async deleteLogRows(ids: number[]): Promise<void> {
    if (ids.length > 0) await this.updates.destroy({ where: { id: { [Op.in]: ids } } });
  }

  async countLog(key?: string): Promise<number> {
    return this.updates.count(key ? { where: { noteKey: key } } : {});
  }
}
