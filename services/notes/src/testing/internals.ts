/**
 * `@notes/notes/testing/internals`: the pieces of svc-notes the benchmark (test/bench) seeds and
 * compares with: its migrations and models, its note keys, its Markdown renderer. Test code only.
 */

export { initialState } from '../collab/collab-text.js';
export { defineCommentModel } from '../comments/comment-model.js';
export { migrations } from '../db/migrations.js';
export { preparedReads } from '../db/prepared-reads.js';
export { defineRevisionModel } from '../history/revision-model.js';
export { RevisionRecorder } from '../history/revision-recorder.js';
export { RevisionRepository } from '../history/revision-repository.js';
export { defineGrantModel } from '../notes/grant-model.js';
export { renderMarkdown } from '../notes/markdown.js';
export { generateNoteKey } from '../notes/note-key.js';
export { defineNoteModel } from '../notes/note-model.js';
export { previewOf } from '../notes/note-preview.js';
export { NoteRepository } from '../notes/note-repository.js';
export { type ChangeRecorder, NoteService } from '../notes/note-service.js';
export type { LiveEvents } from '../realtime/events.js';
export { SearchIndex } from '../search/search-index.js';
export { SearchRepository } from '../search/search-repository.js';
export { SearchService } from '../search/search-service.js';
export { TrashRepository } from '../trash/trash-repository.js';
