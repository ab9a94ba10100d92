import { DataTypes, literal, Op, type Sequelize, UniqueConstraintError } from 'sequelize';
import type { CounterStore } from './counter-store.js';

/** Expired rows are swept on about one hit in this many. */
const SWEEP_EVERY = 200;

/**
 * Counters in the notes database (table `limit_counters`, migration 004), for the embedded mode,
 * which has no Redis. A hit is one UPDATE that restarts an expired window or adds one (atomic in
 * both SQLite and MariaDB); the first hit of a name INSERTs, and a lost insert race updates instead.
 */
export function databaseCounters(db: Sequelize): CounterStore {
  const Counter = db.define(
    'LimitCounter',
    {
      name: { type: DataTypes.STRING(255), primaryKey: true },
      hits: { type: DataTypes.INTEGER, allowNull: false },
      resetAt: { type: DataTypes.BIGINT, allowNull: false },
    },
    { tableName: 'limit_counters', timestamps: false },
  );

  const bump = async (name: string, now: number, resetAt: number): Promise<number> => {
    const [changed] = await Counter.update(
      {
        hits: literal(`CASE WHEN resetAt <= ${now} THEN 1 ELSE hits + 1 END`),
        resetAt: literal(`CASE WHEN resetAt <= ${now} THEN ${resetAt} ELSE resetAt END`),
      },
      { where: { name } },
    );
    return changed;
  };

  return {
    async hit(name, windowMs) {
      const now = Date.now();
      const resetAt = now + windowMs;
      if (Math.random() < 1 / SWEEP_EVERY) await Counter.destroy({ where: { resetAt: { [Op.lte]: now } } });
      if ((await bump(name, now, resetAt)) === 0) {
        try {
          await Counter.create({ name, hits: 1, resetAt });
          return 1;
        } catch (err) {
          if (!(err instanceof UniqueConstraintError)) throw err;
          await bump(name, now, resetAt);
        }
      }
      const row = await Counter.findByPk(name, { raw: true });
      return Number((row as { hits?: unknown } | null)?.hits ?? 1);
    },
    async counts(names) {
      if (names.length === 0) return [];
      const rows = (await Counter.findAll({
        where: { name: { [Op.in]: names }, resetAt: { [Op.gt]: Date.now() } },
        raw: true,
      })) as unknown as { name: string; hits: number }[];
      const byName = new Map(rows.map((r) => [r.name, Number(r.hits)]));
      return names.map((n) => byName.get(n) ?? 0);
    },
    async clear(names) {
      if (names.length > 0) await Counter.destroy({ where: { name: { [Op.in]: names } } });
    },
  };
}
