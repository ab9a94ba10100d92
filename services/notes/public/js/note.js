// Live note page: title/body updates, deletion notice, comments over Socket.IO with acknowledgements
// (add, edit own, delete with undo). Event data is put into the page as text, or (a comment's
// server-rendered HTML) through an allow-list copy of what DOMParser built; the rendered body is
// fetched from the server (sanitised there) and parsed with DOMParser, which runs no scripts.
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
  // Only the author changes a comment, while they may comment here (the server asks the policy).
  const mayEdit = (c) =>
    typeof c.mayEdit === 'boolean' ? c.mayEdit : Boolean(form) && me !== '' && c.from === me;
  const csrf = form?.querySelector('input[name=_csrf]')?.value ?? '';

  // A comment's HTML was rendered and sanitised by the server (Markdown without images). It is still
  // never put into the page as markup: DOMParser builds it inertly (no scripts run), and only the
  // elements and attributes below are copied over, links only to http(s) and mailto.
  const ALLOWED_TAGS = new Set(
    'a abbr b blockquote br code del em h2 h3 h4 h5 h6 hr i input li ol p pre s span strong sub sup table tbody td th thead tr ul'.split(
      ' ',
    ),
  );
  const ALLOWED_ATTRS = {
    a: ['href', 'title', 'rel'],
    code: ['class'],
    span: ['class'],
    li: ['class'],
    ol: ['start'],
    th: ['align'],
    td: ['align'],
    pre: ['tabindex'],
    table: ['tabindex'],
    input: ['type', 'checked', 'disabled', 'class', 'aria-label'],
  };
  function copySafe(node, into) {
    for (const child of node.childNodes) {
      if (child.nodeType === 3) {
        into.append(child.textContent);
        continue;
      }
      if (child.nodeType !== 1) continue;
      const tag = child.localName;
      if (tag === 'script' || tag === 'style' || tag === 'template') continue;
      if (!ALLOWED_TAGS.has(tag) || (tag === 'input' && child.getAttribute('type') !== 'checkbox')) {
        copySafe(child, into);
        continue;
      }
      const el = document.createElement(tag);
      for (const name of ALLOWED_ATTRS[tag] ?? []) {
        const value = child.getAttribute(name);
        if (value === null) continue;
        if (name === 'href' && !/^(https?:|mailto:)/i.test(value)) continue;
        el.setAttribute(name, value);
      }
      if (tag === 'input') el.disabled = true;
      copySafe(child, el);
      into.append(el);
    }
  }
  function messageContent(c) {
    const out = document.createDocumentFragment();
    if (typeof c.html === 'string') copySafe(new DOMParser().parseFromString(c.html, 'text/html').body, out);
    else out.append(String(c.message));
    return out;
  }

  function editedMark(c) {
    const mark = document.createElement('span');
    mark.className = 'message-edited';
    mark.title = `Edited ${c.editedTime ?? ''}`.trim();
    mark.textContent = '(edited)';
    return mark;
  }

  function commentElement(c) {
    const card = document.createElement('div');
    card.className = 'card mb-2 note-message';
    card.id = `comment-${Number(c.id)}`;
    card.dataset.id = String(c.id);
    const inner = document.createElement('div');
    inner.className = 'card-body py-2';
    const text = document.createElement('div');
    text.className = 'card-text mb-1 message-text text-break';
    text.append(messageContent(c));
    const meta = document.createElement('div');
    meta.className = 'small text-body-secondary d-flex flex-wrap align-items-center gap-2 message-meta';
    const from = document.createElement('span');
    from.className = 'message-from';
    from.textContent = String(c.from);
    const time = document.createElement('time');
    time.setAttribute('datetime', String(c.timestamp));
    time.title = String(c.time);
    time.textContent = 'just now';
    window.notesLocalTimes?.(time);
    meta.append(from, ' ', time);
    if (c.edited) meta.append(' ', editedMark(c));
    if (mayEdit(c)) {
      const edit = document.createElement('a');
      edit.className = 'btn btn-link btn-sm p-0 comment-edit';
      edit.href = `/comments/edit?id=${Number(c.id)}`;
      edit.dataset.comment = String(c.id);
      edit.dataset.message = String(c.message);
      edit.textContent = 'Edit';
      meta.append(' ', edit);
    }
    if (mayDelete(c)) {
      const del = document.createElement('form');
      del.method = 'POST';
      del.action = '/comments/destroy';
      del.className = 'd-inline comment-delete-form';
      for (const [name, value] of [
        ['_csrf', csrf],
        ['id', String(c.id)],
      ]) {
        const hidden = document.createElement('input');
        hidden.type = 'hidden';
        hidden.name = name;
        hidden.value = value;
        del.append(hidden);
      }
      const button = document.createElement('button');
      button.type = 'submit';
      button.className = 'btn btn-link btn-sm text-danger p-0 comment-delete';
      button.dataset.comment = String(c.id);
      button.textContent = 'Delete';
      del.append(button);
      meta.append(' ', del);
    }
    inner.append(text, meta);
    card.append(inner);
    return card;
  }

  const findComment = (id) => list.querySelector(`[data-id="${Number(id)}"]`);

  /** Newest first, by id: a comment brought back by an undo returns to where it was. */
  function placeComment(el) {
    const id = Number(el.dataset.id);
    const after = Array.from(list.children).find((other) => Number(other.dataset.id) < id);
    if (after) list.insertBefore(el, after);
    else list.append(el);
  }

  socket.on('newmessage', (c) => {
    if (!c || c.key !== key || findComment(c.id)) return;
    placeComment(commentElement(c));
  });

  /** New text for a comment shown here (its author's edit, from this page or another). */
  function showEdited(c) {
    const card = findComment(c.id);
    if (!card) return;
    card.querySelector('.message-text')?.replaceChildren(messageContent(c));
    const edit = card.querySelector('a.comment-edit');
    if (edit) edit.dataset.message = String(c.message);
    const meta = card.querySelector('.message-meta');
    const mark = card.querySelector('.message-edited');
    if (mark) mark.replaceWith(editedMark(c));
    else meta?.querySelector('time')?.after(' ', editedMark(c));
    highlight(card);
  }
  socket.on('updatemessage', (c) => {
    if (c && c.key === key) showEdited(c);
  });

  socket.on('destroymessage', (m) => {
    const el = m ? findComment(m.id) : null;
    if (el) el.remove();
  });

  // Editing one's own comment in place: the card's text gives way to a form until saved or cancelled.
  function openEditor(card, link) {
    if (card.classList.contains('is-editing')) return;
    const id = Number(card.dataset.id);
    const editor = document.createElement('form');
    editor.className = 'comment-editor';
    editor.noValidate = false;
    const label = document.createElement('label');
    label.className = 'form-label visually-hidden';
    label.htmlFor = `comment-edit-${id}`;
    label.textContent = 'Edit your comment (Markdown; no images)';
    const area = document.createElement('textarea');
    area.id = `comment-edit-${id}`;
    area.className = 'form-control mb-2';
    area.name = 'message';
    area.rows = 3;
    area.maxLength = 2000;
    area.required = true;
    area.value = link.dataset.message ?? '';
    const save = document.createElement('button');
    save.type = 'submit';
    save.className = 'btn btn-primary btn-sm me-2';
    save.textContent = 'Save';
    const cancel = document.createElement('button');
    cancel.type = 'button';
    cancel.className = 'btn btn-outline-secondary btn-sm';
    cancel.textContent = 'Cancel';
    const error = document.createElement('div');
    error.className = 'text-danger small mt-1';
    error.setAttribute('role', 'alert');
    editor.append(label, area, save, cancel, error);
    const shown = [card.querySelector('.message-text'), card.querySelector('.message-meta')];
    const close = () => {
      editor.remove();
      card.classList.remove('is-editing');
      for (const el of shown) el?.classList.remove('d-none');
      card.querySelector('a.comment-edit')?.focus();
    };
    cancel.addEventListener('click', close);
    editor.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') close();
    });
    editor.addEventListener('submit', (e) => {
      e.preventDefault();
      error.textContent = '';
      socket.emit('edit-message', { id, message: area.value }, (answer) => {
        if (answer?.ok) {
          close();
          showEdited(answer.message);
        } else {
          error.textContent = answer?.error?.message ?? 'The comment could not be saved';
        }
      });
    });
    card.classList.add('is-editing');
    for (const el of shown) el?.classList.add('d-none');
    card.querySelector('.card-body')?.append(editor);
    area.focus();
  }

  // A deletion may be undone for a few seconds: the comment goes at once (for everyone), the notice
  // offers "Undo" (which puts it back for everyone), and the server removes it for good once that
  // time is over.
  const undoBox = document.getElementById('comment-undo');
  let pending; // { id, card, timer }
  function settle() {
    if (!pending) return;
    clearTimeout(pending.timer);
    pending = undefined;
    undoBox?.replaceChildren();
  }
  function offerUndo(card, ms) {
    settle();
    const id = Number(card.dataset.id);
    card.remove(); // kept here, to be put back in its place on "Undo"
    const box = document.createElement('div');
    box.className = 'alert alert-secondary py-2 d-flex align-items-center gap-2';
    box.append('Comment deleted.');
    const undo = document.createElement('button');
    undo.type = 'button';
    undo.className = 'btn btn-sm btn-primary comment-undo-button';
    undo.textContent = 'Undo';
    box.append(undo);
    undoBox?.replaceChildren(box);
    undo.focus();
    pending = { id, card, timer: setTimeout(settle, ms) };
    undo.addEventListener('click', () => {
      socket.emit('undo-delete-message', { id }, (answer) => {
        if (!pending || pending.id !== id) return;
        if (!answer?.ok) {
          settle();
          if (errorBox)
            errorBox.textContent = answer?.error?.message ?? 'The comment could not be brought back';
          return;
        }
        settle();
        if (!findComment(id)) placeComment(card);
        card.querySelector('button.comment-delete')?.focus();
      });
    });
  }

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

  // The version shown; task-list.js raises it after this page's own tick (no news to the reader),
  // and saves the next tick on top of it.
  const shownVersion = () => Number(article.dataset.version) || 0;
  socket.on('noteupdated', async (note) => {
    if (!note || note.key !== key) return;
    // The reader's own save (this tab's form, or the editor) is no news to them.
    if (typeof note.version === 'number' && note.version <= shownVersion()) return;
    if (typeof note.version === 'number') article.dataset.version = String(note.version);
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
          if (!findComment(answer.message.id)) placeComment(commentElement(answer.message));
        } else {
          errorBox.textContent = answer?.error?.message ?? 'The comment could not be saved';
        }
      });
    });
  }

  list.addEventListener('click', (event) => {
    const edit = event.target.closest('a.comment-edit');
    if (edit) {
      event.preventDefault();
      const card = edit.closest('[data-id]');
      if (card) openEditor(card, edit);
      return;
    }
    const button = event.target.closest('button.comment-delete');
    if (!button) return;
    event.preventDefault();
    const id = Number(button.dataset.comment);
    socket.emit('delete-message', { id }, (answer) => {
      const card = findComment(id);
      if (answer?.ok) {
        if (card) offerUndo(card, Number(answer.undoMs) || 5000);
      } else if (errorBox)
        errorBox.textContent = answer?.error?.message ?? 'The comment could not be deleted';
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
