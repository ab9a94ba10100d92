import { DataTypes, type Model, type ModelStatic, type Sequelize } from 'sequelize';
import { usernameColumn } from '../users/user-model.js';

/** One row of `mfa`: a user's TOTP second factor, pending until confirmed with a first code. */
export interface MfaRow {
  username: string;
  /** The TOTP secret, sealed (mfa-crypto.ts): never stored in clear. */
  secret: string;
  confirmed: boolean;
  /** The last time step accepted: a code of this step or an earlier one is refused (no replay). */
  lastStep: number;
  /** JSON array of SHA-256 hashes of the unused recovery codes. */
  recoveryCodes: string;
}

export type MfaModel = ModelStatic<Model<MfaRow, MfaRow>>;

export function defineMfaModel(db: Sequelize): MfaModel {
  return db.define<Model<MfaRow, MfaRow>>(
    'mfa',
    {
      username: { type: usernameColumn(), primaryKey: true, allowNull: false },
      secret: { type: DataTypes.STRING(255), allowNull: false },
      confirmed: { type: DataTypes.BOOLEAN, allowNull: false },
      lastStep: { type: DataTypes.BIGINT, allowNull: false },
      recoveryCodes: { type: DataTypes.TEXT, allowNull: false },
    },
    { tableName: 'mfa', timestamps: true },
  );
}
