/**
 * `@notes/notes/testing/internals`: the pieces of svc-notes the benchmark (test/bench) seeds and
 * compares with: its migrations and models, its note keys, its Markdown renderer. Test code only.
 */
export { defineCommentModel } from '../comments/comment-model.js';
export { migrations } from '../db/migrations.js';
export { defineGrantModel } from '../notes/grant-model.js';
export { renderMarkdown } from '../notes/markdown.js';
export { generateNoteKey } from '../notes/note-key.js';
export { defineNoteModel } from '../notes/note-model.js';
