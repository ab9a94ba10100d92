// Live note list: small events from the /home namespace. DOM is built with textContent only.
(() => {
  const list = document.getElementById('notetitles');
  if (!list || typeof io !== 'function') return;
  const firstPage = list.dataset.page === '1';
  const empty = document.getElementById('nonotes');
  const href = (key) => `/notes/view?key=${encodeURIComponent(key)}`;
  const linkFor = (key) =>
    Array.from(list.querySelectorAll('a')).find((a) => a.getAttribute('href') === href(key));
  const socket = io('/home', { transports: ['websocket'] });

  socket.on('notecreated', (note) => {
    if (!firstPage || !note || typeof note.key !== 'string' || linkFor(note.key)) return;
    const a = document.createElement('a');
    a.className = 'list-group-item list-group-item-action text-break';
    a.setAttribute('href', href(note.key));
    a.textContent = String(note.title);
    list.prepend(a);
    if (empty) empty.classList.add('d-none');
  });

  socket.on('noteupdated', (note) => {
    if (!note || typeof note.key !== 'string') return;
    const a = linkFor(note.key);
    if (a) a.textContent = String(note.title);
  });

  socket.on('notedestroyed', (key) => {
    const a = typeof key === 'string' ? linkFor(key) : undefined;
    if (a) a.remove();
    if (empty && !list.querySelector('a')) empty.classList.remove('d-none');
  });
})();
