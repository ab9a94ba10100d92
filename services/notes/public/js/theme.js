// Colour theme, run in <head> before the page is drawn (no flash of the wrong theme): the choice of
// the header's toggle (cookie notes.theme: light or dark; none = follow the system), applied as
// Bootstrap's data-bs-theme, following prefers-color-scheme live while on automatic.
(() => {
  const root = document.documentElement;
  const media = window.matchMedia('(prefers-color-scheme: dark)');
  const NEXT = { auto: 'dark', dark: 'light', light: 'auto' };
  const LABEL = { auto: 'Theme: automatic', dark: 'Theme: dark', light: 'Theme: light' };
  const choice = () => {
    const m = /(?:^|;\s*)notes\.theme=(light|dark)(?:;|$)/.exec(document.cookie);
    return m ? m[1] : 'auto';
  };
  const apply = () => {
    const c = choice();
    root.setAttribute('data-bs-theme', c === 'auto' ? (media.matches ? 'dark' : 'light') : c);
    root.setAttribute('data-theme-choice', c);
  };
  apply();
  media.addEventListener('change', apply);

  document.addEventListener('DOMContentLoaded', () => {
    const button = document.getElementById('theme-toggle');
    if (!button) return;
    const label = () => {
      const c = choice();
      button.textContent = LABEL[c];
      button.setAttribute('aria-label', `${LABEL[c]} (change)`);
    };
    button.hidden = false;
    label();
    button.addEventListener('click', () => {
      const next = NEXT[choice()];
      // biome-ignore lint/suspicious/noDocumentCookie: the Cookie Store API is not in every browser yet
      document.cookie =
        next === 'auto'
          ? 'notes.theme=; Max-Age=0; Path=/; SameSite=Lax'
          : `notes.theme=${next}; Max-Age=31536000; Path=/; SameSite=Lax`;
      apply();
      label();
    });
  });
})();
