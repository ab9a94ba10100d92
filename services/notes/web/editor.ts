import { defaultKeymap } from '@codemirror/commands';
import { defaultHighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { EditorState } from '@codemirror/state';
import { drawSelection, EditorView, keymap, placeholder } from '@codemirror/view';
import { yCollab, yUndoManagerKeymap } from 'y-codemirror.next';
import * as Y from 'yjs';
import type { CollabClient } from '../src/collab/collab-client.js';
import { adoptCodeMirrorStyles } from './adopted-styles.js';
import { insertLink, toggleWrap } from './markdown-commands.js';
import { markdown } from './markdown-language.js';
import { livePreview } from './preview.js';
import { remoteCursors } from './remote-cursors.js';

/** A paste or drop longer than this goes in as several changes (each fits in one message). */
const CHUNK = 12_000;

function insertInChunks(view: EditorView, text: string): void {
  let at = view.state.selection.main.from;
  view.dispatch({ changes: { from: at, to: view.state.selection.main.to, insert: '' } });
  for (let i = 0; i < text.length; ) {
    let end = Math.min(i + CHUNK, text.length);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--;
    const part = text.slice(i, end);
    view.dispatch({ changes: { from: at, insert: part }, selection: { anchor: at + part.length } });
    at += part.length;
    i = end;
  }
}

/**
 * The note's Markdown editor (DESIGN 4.9: `#note-editor`, CodeMirror 6) on the shared document:
 * Markdown highlighting, line wrapping, undo/redo of one's own changes, shortcuts (bold, italic,
 * link, save now), the others' cursors, and the preview beside it rendered by the server.
 */
export function mountEditor(section: HTMLElement, client: CollabClient, saveNow: () => void): EditorView {
  adoptCodeMirrorStyles();
  const text = client.doc.getText('body');
  const undoManager = new Y.UndoManager(text);
  const mount = section.querySelector<HTMLElement>('#note-editor');
  const preview = section.querySelector<HTMLElement>('#note-preview');
  if (!mount || !preview) throw new Error('note editor markup missing');
  const view = new EditorView({
    parent: mount,
    state: EditorState.create({
      doc: text.toString(),
      extensions: [
        keymap.of([
          ...yUndoManagerKeymap,
          { key: 'Mod-b', run: toggleWrap('**') },
          { key: 'Mod-i', run: toggleWrap('_') },
          { key: 'Mod-k', run: insertLink },
          {
            key: 'Mod-s',
            preventDefault: true,
            run: () => {
              saveNow();
              return true;
            },
          },
          ...defaultKeymap,
        ]),
        yCollab(text, null, { undoManager }),
        remoteCursors(text, client.awareness),
        markdown(),
        syntaxHighlighting(defaultHighlightStyle),
        EditorView.lineWrapping,
        drawSelection(),
        placeholder('Write in Markdown…'),
        EditorView.contentAttributes.of({ 'aria-label': 'Note text (Markdown)' }),
        EditorView.editable.of(client.mayEdit),
        EditorView.domEventHandlers({
          paste: (event, v) => {
            const pasted = event.clipboardData?.getData('text/plain') ?? '';
            if (pasted.length <= CHUNK) return false;
            event.preventDefault();
            insertInChunks(v, pasted);
            return true;
          },
        }),
        livePreview(preview, section.dataset.csrf ?? ''),
      ],
    }),
  });
  return view;
}
