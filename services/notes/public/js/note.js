// Live note page: title/body updates, deletion notice, comments over Socket.IO with acknowledgements.
// Event data is only ever put into the page with textContent; the rendered body is fetched from the
// server (sanitised there) and parsed with DOMParser, which runs no scripts.
(() => {
  const article = document.getElementById('note');
  if (!article || typeof io !== 'function') return;
  const key = article.dataset.key;
  const me = article.dataset.user || '';
  // Which comments this visitor may delete, as the server's policy decided: all, own or none.
  const deletable = article.dataset.deleteComments || 'none';
  const title = document.getElementById('notetitle');
  const body = document.getElementById('notebody');
  const list = document.getElementById('noteMessages');
  const form = document.getElementById('comment-form');
  const errorBox = document.getElementById('comment-error');
  const older = document.getElementById('older-messages');
  const socket = io('/notes', { transports: ['websocket'] });

  const join = () => socket.emit('join', { key }, () => {});
  socket.on('connect', join);

  const mayDelete = (c) =>
    typeof c.mayDelete === 'boolean'
      ? c.mayDelete
      : deletable === 'all' || (deletable === 'own' && me !== '' && c.from === me);

  function commentElement(c) {
    const card = document.createElement('div');
    card.className = 'card mb-2 note-message';
    card.dataset.id = String(c.id);
    const inner = document.createElement('div');
    inner.className = 'card-body py-2';
    const text = document.createElement('p');
    text.className = 'card-text mb-1 message-text text-break';
    text.textContent = String(c.message);
    const meta = document.createElement('div');
    meta.className = 'small text-muted d-flex align-items-center gap-2';
    const from = document.createElement('span');
    from.className = 'message-from';
    from.textContent = String(c.from);
    const time = document.createElement('time');
    time.setAttribute('datetime', String(c.timestamp));
    time.title = String(c.time);
    time.textContent = 'just now';
    window.notesLocalTimes?.(time);
    meta.append(from, ' ', time);
    if (mayDelete(c)) {
      const del = document.createElement('button');
      del.type = 'button';
      del.className = 'btn btn-link btn-sm text-danger p-0 comment-delete';
      del.dataset.comment = String(c.id);
      del.textContent = 'Delete';
      meta.append(' ', del);
    }
    inner.append(text, meta);
    card.append(inner);
    return card;
  }

  const findComment = (id) => list.querySelector(`[data-id="${Number(id)}"]`);

  socket.on('newmessage', (c) => {
    if (!c || c.key !== key || findComment(c.id)) return;
    list.prepend(commentElement(c));
  });

  socket.on('destroymessage', (m) => {
    const el = m ? findComment(m.id) : null;
    if (el) el.remove();
  });

  // A change made elsewhere: a notice (announced politely) and, for a few seconds, a highlight on
  // the title and on each block of the body that is new or different.
  const notice = document.getElementById('notechanged');
  let noticeTimer = 0;
  const HIGHLIGHT_MS = 4000;
  function highlight(el) {
    el.classList.remove('changed-live');
    void el.offsetWidth; // restart the animation when the same block changes twice
    el.classList.add('changed-live');
    setTimeout(() => el.classList.remove('changed-live'), HIGHLIGHT_MS);
  }
  function announceChange() {
    if (!notice) return;
    const box = document.createElement('div');
    box.className = 'alert alert-info py-2';
    box.textContent = 'This note was just changed; what changed is highlighted.';
    notice.replaceChildren(box);
    clearTimeout(noticeTimer);
    noticeTimer = setTimeout(() => notice.replaceChildren(), HIGHLIGHT_MS * 2);
  }

  let shownVersion = Number(article.dataset.version) || 0;
  socket.on('noteupdated', async (note) => {
    if (!note || note.key !== key) return;
    // The reader's own save (this tab's form, or the editor) is no news to them.
    if (typeof note.version === 'number' && note.version <= shownVersion) return;
    if (typeof note.version === 'number') shownVersion = note.version;
    if (title.textContent !== String(note.title)) highlight(title);
    title.textContent = String(note.title);
    document.title = `${note.title} · Notes`;
    const stamp = document.getElementById('noteupdated');
    if (stamp) {
      const now = new Date().toISOString();
      stamp.setAttribute('datetime', now);
      stamp.textContent = 'just now';
      stamp.title = typeof window.notesFormatTime === 'function' ? window.notesFormatTime(now) : now;
    }
    try {
      const res = await fetch(`/notes/body?key=${encodeURIComponent(key)}`, { credentials: 'same-origin' });
      if (!res.ok) return;
      const doc = new DOMParser().parseFromString(await res.text(), 'text/html');
      const before = new Set(Array.from(body.children, (el) => el.outerHTML));
      const fresh = Array.from(doc.body.childNodes).map((n) => document.importNode(n, true));
      body.replaceChildren(...fresh);
      for (const el of fresh) if (el.nodeType === 1 && !before.has(el.outerHTML)) highlight(el);
      announceChange();
      body.dispatchEvent(new CustomEvent('notes:bodyreplaced', { bubbles: true }));
    } catch {
      /* the next update or a reload shows it */
    }
  });

  // Sent once the visitor may no longer read the note: the server has taken this socket out of the
  // note's room, so nothing more arrives; the page drops what it showed.
  socket.on('noteunavailable', (lost) => {
    if (lost !== key) return;
    document.getElementById('noteunavailable')?.classList.remove('d-none');
    title.textContent = 'Not available';
    document.title = 'Not available · Notes';
    body.replaceChildren();
    list.replaceChildren();
    for (const id of ['noteedit', 'notedestroy', 'noteshare', 'notevisibility', 'older-messages'])
      document.getElementById(id)?.remove();
    form?.remove();
    socket.disconnect();
  });

  socket.on('noteupdated', async (note) => {
    if (!note || note.key !== key) return;
    const badge = document.getElementById('notevisibility');
    if (badge && typeof note.visibility === 'string') {
      badge.textContent = note.visibility;
      badge.dataset.visibility = note.visibility;
    }
  });

  socket.on('notedestroyed', (gone) => {
    if (gone !== key) return;
    const notice = document.getElementById('notegone');
    if (notice) notice.classList.remove('d-none');
    for (const id of ['noteedit', 'notedestroy']) document.getElementById(id)?.remove();
    form?.remove();
  });

  if (form) {
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const field = form.elements.namedItem('message');
      const message = field.value;
      errorBox.textContent = '';
      socket.emit('create-message', { key, message }, (answer) => {
        if (answer?.ok) {
          field.value = '';
          if (!findComment(answer.message.id)) list.prepend(commentElement(answer.message));
        } else {
          errorBox.textContent = answer?.error?.message ?? 'The comment could not be saved';
        }
      });
    });
  }

  list.addEventListener('click', (event) => {
    const button = event.target.closest('button.comment-delete');
    if (!button) return;
    const id = Number(button.dataset.comment);
    socket.emit('delete-message', { id }, (answer) => {
      if (answer?.ok) findComment(id)?.remove();
      else if (errorBox) errorBox.textContent = answer?.error?.message ?? 'The comment could not be deleted';
    });
  });

  if (older) {
    older.addEventListener('click', () => {
      const before = Number(older.dataset.before);
      socket.emit('older-messages', { key, before }, (answer) => {
        if (!answer?.ok) return;
        for (const c of answer.messages) if (!findComment(c.id)) list.append(commentElement(c));
        const last = answer.messages.at(-1);
        if (last) older.dataset.before = String(last.id);
        if (!answer.more) older.classList.add('d-none');
      });
    });
  }
})();
