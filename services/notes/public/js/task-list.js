// Tickable task lists, for those who may edit the note (the page loads this only for them): the
// server renders every task's checkbox disabled (right for readers, and without JavaScript); here
// they are enabled, and a tick is saved at once through POST /notes/task as a change of the version
// this page shows. A refusal (a stale version, a lost right) puts the box back and says why.
(() => {
  const article = document.getElementById('note');
  const token = article?.dataset.taskToken;
  if (!article || !token) return;
  const key = article.dataset.key;
  const errorBox = document.getElementById('task-error');
  const areas = ['notebody', 'note-preview'].map((id) => document.getElementById(id)).filter(Boolean);

  const enable = (root) => {
    for (const box of root.querySelectorAll('input.task-check[data-task]')) box.disabled = false;
  };
  for (const area of areas) {
    enable(area);
    // The body is replaced after a live change, the preview after each keystroke: enable the new boxes.
    new MutationObserver(() => enable(area)).observe(area, { childList: true, subtree: true });
  }

  function showError(message) {
    if (!errorBox) return;
    const box = document.createElement('div');
    box.className = 'alert alert-warning py-2';
    box.textContent = message;
    errorBox.replaceChildren(box);
  }

  document.addEventListener('change', async (event) => {
    const box = event.target;
    if (!(box instanceof HTMLInputElement) || !box.matches('input.task-check[data-task]')) return;
    if (!areas.some((area) => area.contains(box))) return;
    const done = box.checked;
    errorBox?.replaceChildren();
    box.disabled = true;
    try {
      const res = await fetch('/notes/task', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { accept: 'application/json', 'x-csrf-token': token },
        body: new URLSearchParams({
          key,
          version: article.dataset.version || '0',
          task: box.dataset.task,
          done: done ? '1' : '0',
        }),
      });
      const answer = await res.json().catch(() => ({}));
      if (!res.ok) throw new Error(answer.message || 'The box could not be saved');
      if (typeof answer.version === 'number' && answer.version > Number(article.dataset.version))
        article.dataset.version = String(answer.version);
    } catch (err) {
      box.checked = !done;
      showError(err instanceof Error ? err.message : 'The box could not be saved');
    } finally {
      box.disabled = false;
    }
  });
})();
