// Live note list: small events from the /home namespace. DOM is built with textContent only.
(() => {
  const list = document.getElementById('notetitles');
  if (!list || typeof io !== 'function') return;
  const firstPage = list.dataset.page === '1';
  // "Mine" and "Shared with me" are not kept live: a reload shows them (events say nothing of grants).
  const allNotes = (list.dataset.filter || 'all') === 'all';
  const empty = document.getElementById('nonotes');
  const href = (key) => `/notes/view?key=${encodeURIComponent(key)}`;
  const itemFor = (key) =>
    Array.from(list.querySelectorAll('.note-item')).find((el) => el.dataset.key === key);
  const socket = io('/home', { transports: ['websocket'] });

  function el(tag, className, text) {
    const node = document.createElement(tag);
    node.className = className;
    if (text !== undefined) node.textContent = String(text);
    return node;
  }

  // The same markup as views/partials/note-list.hbs; a live item says "just now" until a reload.
  function fill(item, note) {
    const head = el(
      'a',
      'note-link d-flex justify-content-between align-items-baseline gap-2 text-decoration-none text-break',
    );
    head.setAttribute('href', href(note.key));
    const badge = el('span', 'badge text-bg-light note-visibility', note.visibility);
    badge.dataset.visibility = String(note.visibility);
    head.append(el('span', 'note-title fw-semibold', note.title), ' ', badge);
    const meta = el('div', 'note-meta small text-muted d-flex flex-wrap align-items-center gap-1');
    const time = el('time', 'note-changed', 'just now');
    const now = new Date();
    time.setAttribute('datetime', now.toISOString());
    time.title = `${now.toISOString().slice(0, 10)} ${now.toISOString().slice(11, 16)} UTC`;
    meta.append(el('span', 'note-owner', note.owner), ' · ', time);
    item.replaceChildren(head, meta);
  }

  // The server sends these only to visitors who may read the note (the policy, per socket).
  socket.on('notecreated', (note) => {
    if (!firstPage || !allNotes || !note || typeof note.key !== 'string' || itemFor(note.key)) return;
    const item = el('div', 'list-group-item note-item');
    item.dataset.key = note.key;
    fill(item, note);
    list.prepend(item);
    if (empty) empty.classList.add('d-none');
  });

  socket.on('noteupdated', (note) => {
    if (!note || typeof note.key !== 'string') return;
    const item = itemFor(note.key);
    if (!item) return;
    const title = item.querySelector('.note-title');
    if (title) title.textContent = String(note.title);
    const badge = item.querySelector('.note-visibility');
    if (badge) {
      badge.textContent = String(note.visibility);
      badge.dataset.visibility = String(note.visibility);
    }
  });

  const drop = (key) => {
    const item = typeof key === 'string' ? itemFor(key) : undefined;
    if (item) item.remove();
    if (empty && !list.querySelector('.note-item')) empty.classList.remove('d-none');
  };
  socket.on('notedestroyed', drop);
  // The visitor may no longer read it (its visibility changed or their grant was removed).
  socket.on('noteunavailable', drop);
})();
