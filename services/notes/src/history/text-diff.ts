import { diffArrays, diffWordsWithSpace } from 'diff';

/** A piece of a line: `changed` pieces are what was removed (on a removed line) or added (on an added one). */
export interface DiffSegment {
  text: string;
  changed: boolean;
}

export interface DiffLine {
  kind: 'same' | 'add' | 'del';
  /** Line number in the older text (null for an added line). */
  oldNumber: number | null;
  /** Line number in the newer text (null for a removed line). */
  newNumber: number | null;
  segments: DiffSegment[];
}

/** A run of changed lines with up to `context` unchanged lines around it. */
export interface DiffHunk {
  /** Unchanged lines left out before this hunk (shown as a gap). */
  skippedBefore: number;
  lines: DiffLine[];
}

export interface TextDiff {
  hunks: DiffHunk[];
  /** Unchanged lines left out after the last hunk. */
  skippedAfter: number;
  added: number;
  removed: number;
}

/**
 * Beyond this many line edits, or this long, the two texts are shown as replaced whole: the work
 * of one diff stays bounded whatever two texts (up to 1,000,000 characters each) are compared.
 */
const MAX_LINE_EDITS = 500;
const MAX_DIFF_MS = 100;
/** Beyond this many word edits in a pair of lines, the lines are marked whole. */
const MAX_WORD_EDITS = 300;

const whole = (text: string): DiffSegment[] => [{ text, changed: true }];

/**
 * A line-level diff of two texts, refined to words inside each pair of changed lines (the i-th
 * removed line of a block with its i-th added line), in plain data: the page escapes every piece.
 * Work is bounded: very different texts are shown as removed then added, without word detail.
 */
export function diffTexts(before: string, after: string, context = 3): TextDiff {
  const oldLines = before.split('\n');
  const newLines = after.split('\n');
  const found = diffArrays(oldLines, newLines, { maxEditLength: MAX_LINE_EDITS, timeout: MAX_DIFF_MS });
  // Too different to diff within bounds: all of one removed, all of the other added, no word detail.
  const changes = found ?? [
    { value: oldLines, removed: true, added: false, count: oldLines.length },
    { value: newLines, removed: false, added: true, count: newLines.length },
  ];

  const lines: DiffLine[] = [];
  let oldNo = 1;
  let newNo = 1;
  let added = 0;
  let removed = 0;
  for (let i = 0; i < changes.length; i++) {
    const change = changes[i]!;
    if (!change.added && !change.removed) {
      for (const text of change.value) {
        lines.push({
          kind: 'same',
          oldNumber: oldNo++,
          newNumber: newNo++,
          segments: [{ text, changed: false }],
        });
      }
      continue;
    }
    // A removal directly followed by an addition is one block of changed lines.
    const gone = change.removed ? change.value : [];
    const next = changes[i + 1];
    const came = change.added ? change.value : next?.added ? next.value : [];
    if (change.removed && next?.added) i++;
    const paired = found ? Math.min(gone.length, came.length) : 0;
    const words = gone.slice(0, paired).map((line, j) => wordSegments(line, came[j]!));
    gone.forEach((text, j) => {
      lines.push({
        kind: 'del',
        oldNumber: oldNo++,
        newNumber: null,
        segments: words[j]?.del ?? whole(text),
      });
    });
    came.forEach((text, j) => {
      lines.push({
        kind: 'add',
        oldNumber: null,
        newNumber: newNo++,
        segments: words[j]?.add ?? whole(text),
      });
    });
    removed += gone.length;
    added += came.length;
  }
  return { ...hunksOf(lines, context), added, removed };
}

/** The word-level pieces of a removed line and the added line that replaced it. */
function wordSegments(gone: string, came: string): { del: DiffSegment[]; add: DiffSegment[] } {
  const parts = diffWordsWithSpace(gone, came, { maxEditLength: MAX_WORD_EDITS });
  if (!parts) return { del: whole(gone), add: whole(came) };
  const del: DiffSegment[] = [];
  const add: DiffSegment[] = [];
  for (const part of parts) {
    if (!part.added) push(del, part.value, part.removed);
    if (!part.removed) push(add, part.value, part.added);
  }
  return { del, add };
}

/** Appends a piece, merging it with the previous one of the same kind. */
function push(segments: DiffSegment[], text: string, changed: boolean): void {
  const last = segments.at(-1);
  if (last && last.changed === changed) last.text += text;
  else if (text !== '') segments.push({ text, changed });
}

/** Groups the lines into hunks of changes with `context` unchanged lines around each. */
function hunksOf(lines: DiffLine[], context: number): { hunks: DiffHunk[]; skippedAfter: number } {
  const keep = new Uint8Array(lines.length);
  lines.forEach((line, i) => {
    if (line.kind === 'same') return;
    for (let j = Math.max(0, i - context); j <= Math.min(lines.length - 1, i + context); j++) keep[j] = 1;
  });
  const hunks: DiffHunk[] = [];
  let skipped = 0;
  let current: DiffHunk | undefined;
  lines.forEach((line, i) => {
    if (!keep[i]) {
      skipped++;
      current = undefined;
      return;
    }
    if (!current) {
      current = { skippedBefore: skipped, lines: [] };
      hunks.push(current);
      skipped = 0;
    }
    current.lines.push(line);
  });
  return { hunks, skippedAfter: skipped };
}
