import { ViewPlugin, type ViewUpdate } from '@codemirror/view';

/**
 * Renders the editor's text into `target` a moment after each change, through POST /notes/preview
 * (the server's one Markdown renderer and sanitiser); an answer older than the newest is dropped.
 */
export function livePreview(target: HTMLElement, csrf: string, delayMs = 250) {
  let asked = 0;
  let shown = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const render = async (source: string) => {
    const n = ++asked;
    try {
      const res = await fetch('/notes/preview', {
        method: 'POST',
        headers: { 'content-type': 'text/plain;charset=utf-8', 'x-csrf-token': csrf },
        body: source,
        credentials: 'same-origin',
      });
      if (!res.ok || n < shown) return;
      const html = await res.text();
      if (n < shown) return;
      shown = n;
      // Sanitised by the server with the note page's own allow-list.
      target.innerHTML = html;
      target.removeAttribute('aria-busy');
    } catch {
      target.setAttribute('aria-busy', 'true');
    }
  };
  return ViewPlugin.define((view) => {
    void render(view.state.doc.toString());
    return {
      update(update: ViewUpdate) {
        if (!update.docChanged) return;
        clearTimeout(timer);
        timer = setTimeout(() => void render(update.state.doc.toString()), delayMs);
      },
      destroy() {
        clearTimeout(timer);
      },
    };
  });
}
