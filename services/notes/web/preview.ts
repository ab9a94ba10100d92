import { ViewPlugin, type ViewUpdate } from '@codemirror/view';

/**
 * Renders the editor's text into `target` a moment after each change, through POST /notes/preview
 * (the server's one Markdown renderer and sanitiser); an answer older than the newest is dropped.
 * A render that failed (offline, server away) is tried again every `retryMs` until one succeeds or
 * a newer change asks for its own, so the preview catches up when the connection returns.
 */
export function livePreview(target: HTMLElement, csrf: string, delayMs = 250, retryMs = 2000) {
  let asked = 0;
  let shown = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let latest = () => '';
  const render = async (source: string) => {
    const n = ++asked;
    try {
      const res = await fetch('/notes/preview', {
        method: 'POST',
        headers: { 'content-type': 'text/plain;charset=utf-8', 'x-csrf-token': csrf },
        body: source,
        credentials: 'same-origin',
      });
      if (res.status >= 500) throw new Error(`preview answered ${res.status}`);
      if (!res.ok || n < shown) return;
      const html = await res.text();
      if (n < shown) return;
      shown = n;
      // Sanitised by the server with the note page's own allow-list.
      target.innerHTML = html;
      target.removeAttribute('aria-busy');
    } catch {
      target.setAttribute('aria-busy', 'true');
      // Again with the text as it is then, unless a newer render was asked for meanwhile.
      if (n !== asked) return;
      clearTimeout(retry);
      retry = setTimeout(() => {
        if (n === asked) void render(latest());
      }, retryMs);
    }
  };
  return ViewPlugin.define((view) => {
    latest = () => view.state.doc.toString();
    void render(latest());
    return {
      update(update: ViewUpdate) {
        if (!update.docChanged) return;
        clearTimeout(timer);
        timer = setTimeout(() => void render(update.state.doc.toString()), delayMs);
      },
      destroy() {
        clearTimeout(timer);
        clearTimeout(retry);
      },
    };
  });
}
