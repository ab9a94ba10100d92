import { Op, type Sequelize } from 'sequelize';
import { defineMfaModel, type MfaRow } from './mfa-model.js';

export interface StoredMfa {
  secret: string;
  confirmed: boolean;
  lastStep: number;
  recoveryCodes: string[];
}

const toStored = (row: MfaRow): StoredMfa => ({
  secret: row.secret,
  confirmed: Boolean(row.confirmed),
  lastStep: Number(row.lastStep),
  recoveryCodes: JSON.parse(row.recoveryCodes) as string[],
});

export type MfaRepository = ReturnType<typeof createMfaRepository>;

/** Sequelize only. The writes that must not race (a time step, a recovery code) compare and set. */
export function createMfaRepository(db: Sequelize) {
  const Mfa = defineMfaModel(db);

  return {
    async find(username: string): Promise<StoredMfa | null> {
      const row = await Mfa.findByPk(username);
      return row ? toStored(row.get({ plain: true })) : null;
    },

    /** A new pending enrolment, replacing any pending one (never a confirmed one). */
    async savePending(username: string, secret: string): Promise<void> {
      await db.transaction(async (transaction) => {
        await Mfa.destroy({ where: { username, confirmed: false }, transaction });
        await Mfa.create(
          { username, secret, confirmed: false, lastStep: 0, recoveryCodes: '[]' },
          { transaction },
        );
      });
    },

    /** Pending → confirmed with its first step and the recovery code hashes; false if not pending. */
    async confirm(username: string, step: number, recoveryHashes: string[]): Promise<boolean> {
      const [count] = await Mfa.update(
        { confirmed: true, lastStep: step, recoveryCodes: JSON.stringify(recoveryHashes) },
        { where: { username, confirmed: false } },
      );
      return count > 0;
    },

    /** Records `step` as used; false when it (or a later one) was used already: a replay. */
    async useStep(username: string, step: number): Promise<boolean> {
      const [count] = await Mfa.update(
        { lastStep: step },
        { where: { username, confirmed: true, lastStep: { [Op.lt]: step } } },
      );
      return count > 0;
    },

    /** Removes one recovery code hash; false when it is not (or no longer) there. */
    async useRecoveryCode(username: string, hash: string): Promise<boolean> {
      for (let attempt = 0; attempt < 5; attempt++) {
        const row = await Mfa.findByPk(username, { attributes: ['recoveryCodes', 'confirmed'] });
        if (!row?.get('confirmed')) return false;
        const before = row.get('recoveryCodes') as string;
        const codes = JSON.parse(before) as string[];
        if (!codes.includes(hash)) return false;
        const after = JSON.stringify(codes.filter((c) => c !== hash));
        const [count] = await Mfa.update(
          { recoveryCodes: after },
          { where: { username, recoveryCodes: before } },
        );
        if (count > 0) return true;
      }
      return false;
    },

    /** False when there was none. */
    async remove(username: string): Promise<boolean> {
      return (await Mfa.destroy({ where: { username } })) > 0;
    },
  };
}
