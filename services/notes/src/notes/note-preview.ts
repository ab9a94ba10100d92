import { plainText } from '../search/search-text.js';

/** How much of the body (characters) the preview is made from. */
const PREVIEW_SOURCE = 400;
/** How many characters of plain text the list shows, then "…". */
const PREVIEW_LENGTH = 160;
/** Room for the preview column: PREVIEW_LENGTH characters and the ellipsis. */
export const PREVIEW_COLUMN_CHARS = 200;

/**
 * The list's one-line plain-text preview of a body (its first PREVIEW_SOURCE characters). Made when
 * a body is saved and kept in `notes.preview` (migration 060), so a list page reads it instead of
 * making it for every row of every page view.
 */
export function previewOf(body: string): string {
  const start = [...body.slice(0, PREVIEW_SOURCE * 2)].slice(0, PREVIEW_SOURCE).join('');
  const chars = [...plainText(start)];
  return chars.length > PREVIEW_LENGTH
    ? `${chars.slice(0, PREVIEW_LENGTH).join('').trimEnd()}…`
    : chars.join('');
}
