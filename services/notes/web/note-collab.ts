import type { Socket } from 'socket.io-client';
import { CollabClient } from '../src/collab/collab-client.js';
import { showPresence } from './presence.js';
import { showSaveState } from './save-state.js';

/**
 * The note page's part in editing together (DESIGN 4.9), over the page's existing Socket.IO
 * client (/socket.io/socket.io.min.js): everyone who may read the note is shown in `#presence`;
 * those who may edit get the editor (loaded only for them) in place of the rendered text, saving by
 * itself, saying whether every change reached the server, and warning before leaving otherwise.
 */
declare const io: (path: string, options: object) => Socket;

const article = document.getElementById('note');
const presence = document.getElementById('presence');
const section = document.getElementById('note-collab');
const key = article?.dataset.key;
if (article && presence && key && typeof io === 'function') {
  const state = document.getElementById('save-state');
  const socket = io('/collab', { transports: ['websocket'] });
  const client = new CollabClient(socket, key, {
    onState: (s, error) => {
      if (state) showSaveState(state, s, error);
      if (section && s !== 'connecting' && s !== 'unavailable' && client.mayEdit) void open(section);
    },
  });
  showPresence(presence, client.awareness, article.dataset.user || null);
  let opened = false;
  const open = async (where: HTMLElement) => {
    if (opened) return;
    opened = true;
    const { mountEditor } = await import('./editor.js');
    mountEditor(where, client, () => void client.resync());
    where.classList.remove('d-none');
    document.getElementById('notebody')?.classList.add('d-none');
  };
  window.addEventListener('beforeunload', (event) => {
    // Only for what this page typed: leaving before the socket joined (or with nothing typed) loses nothing.
    if (!client.mayEdit || !client.hasUnsavedChanges) return;
    event.preventDefault();
    event.returnValue = '';
  });
}
