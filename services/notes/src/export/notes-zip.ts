import type { Note } from '../notes/note.js';
import { markdownFileName, noteMarkdown } from './export-markdown.js';
import { ZipWriter } from './zip-writer.js';

/**
 * The file name of each note in the zip: its key with `.md` (keys are URL-safe, so every name is
 * safe on every system). Keys that differ only in case ("Ab", "ab") would be one file on a
 * case-insensitive disk: later ones get `~2`, `~3`… (`~` is never part of a key, so no name of
 * another note can be taken). The import reads the key from the front matter, not the name.
 */
export function uniqueNames(): (note: Note) => string {
  const used = new Map<string, number>();
  return (note) => {
    const name = markdownFileName(note);
    const folded = name.toLowerCase();
    const seen = used.get(folded) ?? 0;
    used.set(folded, seen + 1);
    return seen === 0 ? name : `${note.key}~${seen + 1}.md`;
  };
}

/**
 * Every note of `notes` as a Markdown file (the one-note export's format) in a zip, yielded entry
 * by entry: a stream can send each one as it is made, and only the zip's directory is kept.
 */
export async function* notesZip(notes: AsyncIterable<Note>): AsyncGenerator<Buffer> {
  const zip = new ZipWriter();
  const nameOf = uniqueNames();
  for await (const note of notes)
    yield await zip.entry(nameOf(note), Buffer.from(noteMarkdown(note), 'utf8'), note.updatedAt);
  yield zip.end();
}
