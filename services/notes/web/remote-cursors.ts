import { type Range, RangeSetBuilder } from '@codemirror/state';
import {
  Decoration,
  type DecorationSet,
  type EditorView,
  ViewPlugin,
  type ViewUpdate,
  WidgetType,
} from '@codemirror/view';
import type { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { userOf } from './presence.js';

/** A remote caret with its person's name; coloured by class (the CSP allows no inline styles). */
class Caret extends WidgetType {
  constructor(
    readonly name: string,
    readonly colour: number,
  ) {
    super();
  }
  override eq(other: Caret) {
    return other.name === this.name && other.colour === this.colour;
  }
  toDOM() {
    const caret = document.createElement('span');
    caret.className = `cm-remote-caret presence-c${this.colour}`;
    caret.setAttribute('aria-hidden', 'true');
    // The name is drawn by CSS (::after), so it is never part of the editor's text content.
    caret.dataset.name = this.name;
    caret.title = this.name;
    return caret;
  }
  override ignoreEvent() {
    return true;
  }
}

interface Cursor {
  anchor: unknown;
  head: unknown;
}

/**
 * The others' cursors and selections in the editor, named and coloured (DESIGN 4.9), and this
 * editor's own cursor shared through awareness as Yjs relative positions (they survive the edits
 * of others).
 */
export function remoteCursors(text: Y.Text, awareness: Awareness) {
  const doc = text.doc as Y.Doc;
  const absolute = (json: unknown) => {
    const pos = Y.createAbsolutePositionFromRelativePosition(Y.createRelativePositionFromJSON(json), doc);
    return pos && pos.type === text ? pos.index : null;
  };
  return ViewPlugin.fromClass(
    class {
      decorations: DecorationSet = Decoration.none;
      private pending = false;
      /** Others' cursors moved: redraw on the next frame (never inside an update of the editor). */
      private readonly redraw = (changes: { added: number[]; updated: number[]; removed: number[] }) => {
        const ids = [...changes.added, ...changes.updated, ...changes.removed];
        if (this.pending || ids.every((id) => id === doc.clientID)) return;
        this.pending = true;
        requestAnimationFrame(() => {
          this.pending = false;
          this.view.dispatch({});
        });
      };

      constructor(readonly view: EditorView) {
        awareness.on('change', this.redraw);
      }

      update(update: ViewUpdate) {
        if (update.selectionSet || update.focusChanged || update.docChanged) this.share(update.view);
        this.decorations = this.draw(update.view);
      }

      private share(view: EditorView) {
        const local = awareness.getLocalState() as { cursor?: Cursor | null } | null;
        if (!local) return;
        if (!view.hasFocus) {
          if (local.cursor) awareness.setLocalStateField('cursor', null);
          return;
        }
        const sel = view.state.selection.main;
        awareness.setLocalStateField('cursor', {
          anchor: Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(text, sel.anchor)),
          head: Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(text, sel.head)),
        });
      }

      private draw(view: EditorView): DecorationSet {
        const ranges: Range<Decoration>[] = [];
        const length = view.state.doc.length;
        awareness.getStates().forEach((state, clientID) => {
          if (clientID === doc.clientID) return;
          const user = userOf(state);
          const cursor = (state as { cursor?: Cursor | null }).cursor;
          if (!user || !cursor) return;
          const anchor = absolute(cursor.anchor);
          const head = absolute(cursor.head);
          if (anchor === null || head === null || anchor > length || head > length) return;
          const [from, to] = anchor < head ? [anchor, head] : [head, anchor];
          if (from < to)
            ranges.push(
              Decoration.mark({ class: `cm-remote-selection presence-c${user.colour}` }).range(from, to),
            );
          ranges.push(Decoration.widget({ widget: new Caret(user.name, user.colour), side: 1 }).range(head));
        });
        ranges.sort((a, b) => a.from - b.from || a.value.startSide - b.value.startSide);
        const builder = new RangeSetBuilder<Decoration>();
        for (const r of ranges) builder.add(r.from, r.to, r.value);
        return builder.finish();
      }

      destroy() {
        awareness.off('change', this.redraw);
      }
    },
    { decorations: (v) => v.decorations },
  );
}
