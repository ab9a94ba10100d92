import { DataTypes, type Model, type ModelStatic, type Sequelize } from 'sequelize';

/** One row of the `users` table (emails and photos are JSON text). */
export interface UserRow {
  username: string;
  provider: string;
  passwordHash: string | null;
  familyName: string;
  givenName: string;
  middleName: string;
  emails: string;
  photos: string;
}

export type UserModel = ModelStatic<Model<UserRow, UserRow>>;

/** Usernames compare byte for byte on both dialects (BINARY = utf8mb4_bin on MySQL). */
export const usernameColumn = () => DataTypes.STRING(64).BINARY;

export function defineUserModel(db: Sequelize): UserModel {
  return db.define<Model<UserRow, UserRow>>(
    'users',
    {
      username: { type: usernameColumn(), primaryKey: true, allowNull: false },
      provider: { type: DataTypes.STRING(50), allowNull: false },
      passwordHash: { type: DataTypes.STRING(60), allowNull: true },
      familyName: { type: DataTypes.STRING(100), allowNull: false },
      givenName: { type: DataTypes.STRING(100), allowNull: false },
      middleName: { type: DataTypes.STRING(100), allowNull: false },
      emails: { type: DataTypes.TEXT, allowNull: false },
      photos: { type: DataTypes.TEXT, allowNull: false },
    },
    { tableName: 'users', timestamps: true },
  );
}
