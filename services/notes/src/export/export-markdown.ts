import type { Note } from '../notes/note.js';

/** A YAML scalar that needs no YAML parser to write: a JSON string is a valid double-quoted one. */
const yamlString = (value: string) => JSON.stringify(value);

/**
 * A note as a Markdown file (DESIGN 4.7): YAML front matter (key, title, tags, owner, visibility,
 * dates) and then the body exactly as written. The form tags are listed apart (`formTags`) so
 * that an import can give the note back the same fields; `tags` are all of them.
 */
export function noteMarkdown(note: Note): string {
  const list = (items: readonly string[]) => `[${items.map(yamlString).join(', ')}]`;
  return [
    '---',
    `key: ${yamlString(note.key)}`,
    `title: ${yamlString(note.title)}`,
    `tags: ${list(note.tags)}`,
    `formTags: ${list(note.formTags)}`,
    `owner: ${yamlString(note.owner)}`,
    `visibility: ${note.visibility}`,
    `created: ${note.createdAt.toISOString()}`,
    `updated: ${note.updatedAt.toISOString()}`,
    '---',
    '',
    note.body,
  ].join('\n');
}

/** A file name for the note: its key (URL-safe already) with `.md`. */
export function markdownFileName(note: Note): string {
  return `${note.key}.md`;
}
