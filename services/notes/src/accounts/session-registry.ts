import { createHash } from 'node:crypto';
import type { Store } from 'express-session';
import { DataTypes, type Model, Op, type Sequelize } from 'sequelize';

interface Row {
  sid: string;
  username: string;
  userAgent: string;
  address: string;
  createdAt: Date;
  expiresAt: Date;
}

/** A signed-in session as its owner sees it; `handle` names it in forms (never the session id). */
export interface UserSession {
  handle: string;
  userAgent: string;
  address: string;
  createdAt: Date;
  current: boolean;
}

const handleOf = (sid: string) => createHash('sha256').update(sid).digest('base64url').slice(0, 22);

/**
 * Which sessions each user has (table `user_sessions`, migration 050), next to the session store
 * itself: rows are added at sign-in and removed at sign-out; ending a session destroys it in the
 * store (Redis or database) and removes its row. Rows of expired sessions, or of sessions the store
 * no longer holds, are dropped when their user's sessions are listed.
 */
export class SessionRegistry {
  private readonly rows;

  constructor(
    db: Sequelize,
    private readonly store: Store,
    private readonly maxAgeMs: number,
  ) {
    this.rows = db.define<Model<Row, Row>>(
      'UserSession',
      {
        sid: { type: DataTypes.STRING(128), primaryKey: true },
        username: { type: DataTypes.STRING(100), allowNull: false },
        userAgent: { type: DataTypes.STRING(200), allowNull: false },
        address: { type: DataTypes.STRING(64), allowNull: false },
        createdAt: { type: DataTypes.DATE(3), allowNull: false },
        expiresAt: { type: DataTypes.DATE(3), allowNull: false },
      },
      { tableName: 'user_sessions', timestamps: false },
    );
  }

  async add(sid: string, username: string, userAgent: string, address: string): Promise<void> {
    const now = new Date();
    await this.rows.upsert({
      sid,
      username,
      userAgent: userAgent.slice(0, 200),
      address: address.slice(0, 64),
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.maxAgeMs),
    });
  }

  async remove(sid: string): Promise<void> {
    await this.rows.destroy({ where: { sid } });
  }

  async list(username: string, currentSid: string): Promise<UserSession[]> {
    await this.rows.destroy({ where: { username, expiresAt: { [Op.lt]: new Date() } } });
    const found = await this.rows.findAll({ where: { username }, order: [['createdAt', 'DESC']] });
    // A session can end without its row (a new sign-in in the same browser, a store flush): only
    // those the store still holds are listed, and the others' rows go.
    const alive = await Promise.all(found.map((r) => this.exists(r.get('sid') as string)));
    const gone = found.filter((_, i) => !alive[i]).map((r) => r.get('sid') as string);
    if (gone.length > 0) await this.rows.destroy({ where: { sid: gone } });
    const rows = found.filter((_, i) => alive[i]);
    return rows.map((r) => {
      const row = r.get({ plain: true });
      return {
        handle: handleOf(row.sid),
        userAgent: row.userAgent,
        address: row.address,
        createdAt: row.createdAt,
        current: row.sid === currentSid,
      };
    });
  }

  /** Ends one of the user's sessions by its handle; false when there is none such (or it is this one). */
  async end(username: string, handle: string, currentSid: string): Promise<boolean> {
    const rows = await this.rows.findAll({ where: { username }, attributes: ['sid'] });
    const sid = rows.map((r) => r.get('sid') as string).find((s) => handleOf(s) === handle);
    if (!sid || sid === currentSid) return false;
    await this.destroy(sid);
    return true;
  }

  /** Ends every session of the user but `keepSid`; how many. */
  async endOthers(username: string, keepSid: string): Promise<number> {
    const rows = await this.rows.findAll({ where: { username }, attributes: ['sid'] });
    const others = rows.map((r) => r.get('sid') as string).filter((s) => s !== keepSid);
    for (const sid of others) await this.destroy(sid);
    return others.length;
  }

  private exists(sid: string): Promise<boolean> {
    return new Promise((resolve, reject) =>
      this.store.get(sid, (err, session) => (err ? reject(err) : resolve(Boolean(session)))),
    );
  }

  private async destroy(sid: string): Promise<void> {
    await new Promise<void>((resolve, reject) =>
      this.store.destroy(sid, (err) => (err ? reject(err) : resolve())),
    );
    await this.remove(sid);
  }
}
