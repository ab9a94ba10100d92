import { EditorSelection } from '@codemirror/state';
import type { EditorView } from '@codemirror/view';

/** Wraps each selection in `mark` (bold: `**`, italic: `_`), or unwraps it when it already is. */
export function toggleWrap(mark: string) {
  return (view: EditorView): boolean => {
    const { state } = view;
    view.dispatch(
      state.changeByRange((range) => {
        const before = state.sliceDoc(range.from - mark.length, range.from);
        const after = state.sliceDoc(range.to, range.to + mark.length);
        if (before === mark && after === mark) {
          return {
            changes: [
              { from: range.from - mark.length, to: range.from },
              { from: range.to, to: range.to + mark.length },
            ],
            range: EditorSelection.range(range.from - mark.length, range.to - mark.length),
          };
        }
        return {
          changes: [
            { from: range.from, insert: mark },
            { from: range.to, insert: mark },
          ],
          range: EditorSelection.range(range.from + mark.length, range.to + mark.length),
        };
      }),
    );
    return true;
  };
}

/** Makes each selection a Markdown link `[text](https://)` with the address selected, ready to type. */
export function insertLink(view: EditorView): boolean {
  const { state } = view;
  view.dispatch(
    state.changeByRange((range) => {
      const label = state.sliceDoc(range.from, range.to) || 'link';
      const insert = `[${label}](https://)`;
      const urlStart = range.from + label.length + 3;
      return {
        changes: { from: range.from, to: range.to, insert },
        range: EditorSelection.range(urlStart, urlStart + 8),
      };
    }),
  );
  return true;
}
