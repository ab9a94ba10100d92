// Live note list: small events from the /home namespace. DOM is built with textContent only.
(() => {
  const list = document.getElementById('notetitles');
  if (!list || typeof io !== 'function') return;
  const firstPage = list.dataset.page === '1';
  // "Mine" and "Shared with me" are not kept live: a reload shows them (events say nothing of grants).
  const allNotes = (list.dataset.filter || 'all') === 'all';
  const empty = document.getElementById('nonotes');
  const href = (key) => `/notes/view?key=${encodeURIComponent(key)}`;
  const linkFor = (key) =>
    Array.from(list.querySelectorAll('a')).find((a) => a.getAttribute('href') === href(key));
  const socket = io('/home', { transports: ['websocket'] });

  function fill(a, note) {
    const title = document.createElement('span');
    title.className = 'note-title';
    title.textContent = String(note.title);
    const badge = document.createElement('span');
    badge.className = 'badge text-bg-light note-visibility';
    badge.dataset.visibility = String(note.visibility);
    badge.textContent = String(note.visibility);
    a.replaceChildren(title, ' ', badge);
  }

  // The server sends these only to visitors who may read the note (the policy, per socket).
  socket.on('notecreated', (note) => {
    if (!firstPage || !allNotes || !note || typeof note.key !== 'string' || linkFor(note.key)) return;
    const a = document.createElement('a');
    a.className =
      'list-group-item list-group-item-action text-break d-flex justify-content-between align-items-baseline gap-2';
    a.setAttribute('href', href(note.key));
    fill(a, note);
    list.prepend(a);
    if (empty) empty.classList.add('d-none');
  });

  socket.on('noteupdated', (note) => {
    if (!note || typeof note.key !== 'string') return;
    const a = linkFor(note.key);
    if (a) fill(a, note);
  });

  const drop = (key) => {
    const a = typeof key === 'string' ? linkFor(key) : undefined;
    if (a) a.remove();
    if (empty && !list.querySelector('a')) empty.classList.remove('d-none');
  };
  socket.on('notedestroyed', drop);
  // The visitor may no longer read it (its visibility changed or their grant was removed).
  socket.on('noteunavailable', drop);
})();
