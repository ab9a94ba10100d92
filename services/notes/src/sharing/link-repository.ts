import type { ModelStatic, Sequelize } from 'sequelize';
import { defineLinkModel, type LinkRow } from './link-model.js';

export interface ShareLink {
  id: number;
  noteKey: string;
  createdBy: string;
  createdAt: Date;
}

const toLink = (r: LinkRow): ShareLink => ({
  id: r.id,
  noteKey: r.noteKey,
  createdBy: r.createdBy,
  createdAt: new Date(r.createdAt),
});

/** Sequelize access to read-only links; only token hashes are stored. */
export class LinkRepository {
  private readonly links: ModelStatic<LinkRow>;

  constructor(db: Sequelize) {
    this.links = (db.models.NoteLink as ModelStatic<LinkRow> | undefined) ?? defineLinkModel(db);
  }

  async create(input: { noteKey: string; tokenHash: string; createdBy: string }): Promise<ShareLink> {
    return toLink(await this.links.create({ ...input, revokedAt: null }));
  }

  /** The live (not revoked) link with this token hash. */
  async findActive(tokenHash: string): Promise<ShareLink | null> {
    const row = await this.links.findOne({ where: { tokenHash, revokedAt: null } });
    return row ? toLink(row) : null;
  }

  async active(noteKey: string): Promise<ShareLink[]> {
    const rows = await this.links.findAll({
      where: { noteKey, revokedAt: null },
      order: [['id', 'ASC']],
    });
    return rows.map(toLink);
  }

  /** Revokes one live link of the note (`id`) or all of them; how many were revoked. */
  async revoke(noteKey: string, id?: number): Promise<number> {
    const [count] = await this.links.update(
      { revokedAt: new Date() },
      { where: { noteKey, revokedAt: null, ...(id === undefined ? {} : { id }) } },
    );
    return count;
  }
}
