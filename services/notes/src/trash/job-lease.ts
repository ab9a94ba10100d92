import {
  DataTypes,
  type Model,
  type ModelStatic,
  Op,
  type Sequelize,
  UniqueConstraintError,
} from 'sequelize';

type LeaseRow = Model & { name: string; holder: string; expiresAt: number };

function leaseModel(db: Sequelize): ModelStatic<LeaseRow> {
  return (
    (db.models.JobLease as ModelStatic<LeaseRow> | undefined) ??
    db.define<LeaseRow>(
      'JobLease',
      {
        name: { type: DataTypes.STRING(100), primaryKey: true },
        holder: { type: DataTypes.STRING(100), allowNull: false },
        expiresAt: { type: DataTypes.BIGINT, allowNull: false },
      },
      { tableName: 'job_leases', timestamps: false },
    )
  );
}

/**
 * A lease on a named job in the notes database (`job_leases`, migration 032), so that a job runs
 * on one replica at a time, with or without Redis. Taking it is one compare-and-set UPDATE (free,
 * expired, or already ours), or the INSERT of its first row; the holder renews it on every run and
 * gives it up on shutdown, and a replica that died loses it when it expires.
 */
export class JobLease {
  private readonly leases: ModelStatic<LeaseRow>;

  constructor(
    db: Sequelize,
    private readonly name: string,
    /** This replica (unique per process). */
    readonly holder: string,
  ) {
    this.leases = leaseModel(db);
  }

  /** Takes or renews the lease for `ttlMs`; false while another replica holds it. */
  async acquire(ttlMs: number, now = Date.now()): Promise<boolean> {
    const [changed] = await this.leases.update(
      { holder: this.holder, expiresAt: now + ttlMs },
      { where: { name: this.name, [Op.or]: [{ holder: this.holder }, { expiresAt: { [Op.lt]: now } }] } },
    );
    if (changed === 1) return true;
    try {
      await this.leases.create({ name: this.name, holder: this.holder, expiresAt: now + ttlMs });
      return true;
    } catch (err) {
      if (err instanceof UniqueConstraintError) return false;
      throw err;
    }
  }

  /** Gives the lease up, if it is ours, so another replica may take it at once. */
  async release(): Promise<void> {
    await this.leases.destroy({ where: { name: this.name, holder: this.holder } });
  }
}
