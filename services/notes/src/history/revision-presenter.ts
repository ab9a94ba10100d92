import { mayEdit, type Visitor } from '../notes/note-policy.js';
import type { Comparison } from './history-service.js';
import type { Revision, RevisionSummary } from './revision.js';
import { diffTexts, type TextDiff } from './text-diff.js';

const plural = (n: number, one: string) => `${n.toLocaleString('en-US')} ${one}${n === 1 ? '' : 's'}`;

/** A size change in words and signs (never colour alone): "+12" read as "12 characters added". */
export interface SizeChange {
  kind: 'grew' | 'shrank' | 'same' | 'first';
  /** What is shown: "+12", "−3", "±0", or the size of the first kept revision. */
  shown: string;
  /** What a screen reader says. */
  label: string;
}

export function sizeChange(size: number, previous: number | null): SizeChange {
  if (previous === null) {
    const shown = plural(size, 'character');
    return { kind: 'first', shown, label: `${shown}, the first kept revision` };
  }
  const delta = size - previous;
  if (delta > 0)
    return {
      kind: 'grew',
      shown: `+${delta.toLocaleString('en-US')}`,
      label: `${plural(delta, 'character')} added`,
    };
  if (delta < 0)
    return {
      kind: 'shrank',
      shown: `−${(-delta).toLocaleString('en-US')}`,
      label: `${plural(-delta, 'character')} removed`,
    };
  return { kind: 'same', shown: '±0', label: 'same size' };
}

/** One line of the history page. */
export interface HistoryLine {
  number: number;
  author: string;
  title: string;
  createdAt: Date;
  updatedAt: Date;
  /** Several saves were folded into this revision. */
  folded: boolean;
  size: SizeChange;
  restoredFrom: number | null;
  current: boolean;
}

export function presentHistoryLine(revision: RevisionSummary, latest: number): HistoryLine {
  return {
    number: revision.number,
    author: revision.author,
    title: revision.title,
    createdAt: revision.createdAt,
    updatedAt: revision.updatedAt,
    folded: revision.updatedAt.getTime() !== revision.createdAt.getTime(),
    size: sizeChange(revision.size, revision.previousSize),
    restoredFrom: revision.restoredFrom,
    current: revision.number === latest,
  };
}

interface RevisionFacts {
  number: number;
  author: string;
  title: string;
  createdAt: Date;
  updatedAt: Date;
  folded: boolean;
  restoredFrom: number | null;
  size: number;
}

const facts = (r: Revision): RevisionFacts => ({
  number: r.number,
  author: r.author,
  title: r.title,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
  folded: r.updatedAt.getTime() !== r.createdAt.getTime(),
  restoredFrom: r.restoredFrom,
  size: r.size,
});

/** The revision page: the revision, what it is compared with, the diff, and what the visitor may do. */
export interface ComparisonView {
  key: string;
  noteTitle: string;
  revision: RevisionFacts & { body: string };
  base: RevisionFacts | null;
  /** The base is the revision just before (not one picked to compare with). */
  baseIsPrevious: boolean;
  diff: TextDiff;
  titleDiff: TextDiff | null;
  size: SizeChange;
  current: boolean;
  /** The visitor may edit, and this revision's text is not the note's text already. */
  mayRestore: boolean;
  latest: number;
}

export function presentComparison(c: Comparison, visitor: Visitor, baseIsPrevious: boolean): ComparisonView {
  const before = c.base?.body ?? '';
  const sameAsNote = c.note.title === c.revision.title && c.note.body === c.revision.body;
  return {
    key: c.note.key,
    noteTitle: c.note.title,
    revision: { ...facts(c.revision), body: c.revision.body },
    base: c.base ? facts(c.base) : null,
    baseIsPrevious,
    diff: diffTexts(before, c.revision.body),
    titleDiff:
      c.base && c.base.title !== c.revision.title ? diffTexts(c.base.title, c.revision.title, 0) : null,
    size: sizeChange(c.revision.size, c.base?.size ?? null),
    current: c.revision.number === c.latest,
    mayRestore: mayEdit(visitor, c.note) && !sameAsNote,
    latest: c.latest,
  };
}
