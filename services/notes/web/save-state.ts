import type { SaveState } from '../src/collab/collab-client.js';

const TEXT: Record<SaveState, string> = {
  connecting: 'Connecting…',
  saved: 'Saved',
  saving: 'Saving…',
  offline: 'Offline — changes kept',
  refused: 'Not saved',
  unavailable: 'Not available',
};

/** `#save-state`: "Saved" only when every local change was acknowledged (CollabClient decides). */
export function showSaveState(el: HTMLElement, state: SaveState, error?: string): void {
  el.textContent = error ? `${TEXT[state]}: ${error}` : TEXT[state];
  el.dataset.state = state;
  el.className = `save-state save-state-${state} small`;
}
