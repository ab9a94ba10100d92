import { renderMarkdown } from './markdown.js';
import type { Note } from './note.js';
import {
  type CommentDeletion,
  commentDeletion,
  mayComment,
  mayDelete,
  mayEdit,
  mayShare,
  type Visibility,
  type Visitor,
} from './note-policy.js';

/** What each visibility means, in the words the pages show. */
export const VISIBILITY_LABELS: Record<Visibility, string> = {
  private: 'Private: only you and the people you share it with',
  team: 'Team: every signed-in user',
  public: 'Public: anyone, without signing in',
};

/** A note as its page shows it to one visitor: rendered body and what the policy lets them do. */
export interface NotePageView {
  key: string;
  title: string;
  owner: string;
  visibility: Visibility;
  visibilityLabel: string;
  updatedAt: Date;
  tags: string[];
  /** The version shown (the page ignores live updates it already has). */
  version: number;
  /** Sanitised HTML of the Markdown body. */
  bodyHtml: string;
  may: { edit: boolean; delete: boolean; share: boolean; comment: boolean; deleteComments: CommentDeletion };
}

export function presentNote(note: Note, visitor: Visitor): NotePageView {
  return {
    key: note.key,
    title: note.title,
    owner: note.owner,
    visibility: note.visibility,
    visibilityLabel: VISIBILITY_LABELS[note.visibility],
    updatedAt: note.updatedAt,
    tags: note.tags,
    version: note.version,
    bodyHtml: renderMarkdown(note.body),
    may: {
      edit: mayEdit(visitor, note),
      delete: mayDelete(visitor, note),
      share: mayShare(visitor, note),
      comment: mayComment(visitor, note),
      deleteComments: commentDeletion(visitor, note),
    },
  };
}

/** Small list change for `/home` (DESIGN 4.2: never the whole list). */
export interface NoteListItem {
  key: string;
  title: string;
  owner: string;
  visibility: Visibility;
}

export function presentNoteListItem(note: Note): NoteListItem {
  return { key: note.key, title: note.title, owner: note.owner, visibility: note.visibility };
}

/** `noteupdated` payload on `/notes` (room = the note key); `/home` gets the list item. */
export interface NoteUpdate extends NoteListItem {
  /** Markdown source; pages never insert it as HTML (they fetch the rendered body). */
  body: string;
  version: number;
}

export function presentNoteUpdate(note: Note): NoteUpdate {
  return {
    key: note.key,
    title: note.title,
    body: note.body,
    version: note.version,
    owner: note.owner,
    visibility: note.visibility,
  };
}
