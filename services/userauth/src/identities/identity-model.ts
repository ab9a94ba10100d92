import { DataTypes, type Model, type ModelStatic, type Sequelize } from 'sequelize';
import { usernameColumn } from '../users/user-model.js';

/** One row of `identities`: a third-party account (issuer + subject) and the user it signs in as. */
export interface IdentityRow {
  issuer: string;
  subject: string;
  username: string;
}

export type IdentityModel = ModelStatic<Model<IdentityRow, IdentityRow>>;

/** Issuers and subjects compare byte for byte (OpenID Connect: case-sensitive strings). */
export const issuerColumn = () => DataTypes.STRING(255).BINARY;
export const subjectColumn = () => DataTypes.STRING(255).BINARY;

export function defineIdentityModel(db: Sequelize): IdentityModel {
  return db.define<Model<IdentityRow, IdentityRow>>(
    'identities',
    {
      issuer: { type: issuerColumn(), primaryKey: true, allowNull: false },
      subject: { type: subjectColumn(), primaryKey: true, allowNull: false },
      username: { type: usernameColumn(), allowNull: false },
    },
    { tableName: 'identities', timestamps: true },
  );
}
