import type { Swarm } from './fanout.js';
import { sleep } from './log.js';
import { type Browser, formValue } from './session.js';

export interface EditTimings {
  /** Per edit: ms from sending the save until the last client had the update. */
  allDelivered: number[];
  /** Every single delivery of every edit: ms from sending the save until that client had it. */
  deliveries: number[];
  /** ms the save request itself took (POST /notes/save answered). */
  saves: number[];
}

/**
 * Edits note `key` `edits` times through `editor` (logged in as its owner) and times each update
 * until every socket of the swarm has it. The edit form is read before each save (untimed) for its
 * CSRF token and version; edits are 250 ms apart.
 */
export async function timeEdits(
  editor: Browser,
  key: string,
  swarm: Swarm,
  edits: number,
): Promise<EditTimings> {
  const result: EditTimings = { allDelivered: [], deliveries: [], saves: [] };
  for (let i = 0; i < edits; i++) {
    const form = await editor.get(`/notes/edit?key=${encodeURIComponent(key)}`);
    if (form.status !== 200) throw new Error(`GET /notes/edit answered ${form.status}`);
    const version = Number(formValue(form.html, 'version'));
    if (!Number.isInteger(version)) throw new Error('the edit form carries no version');
    const arrived = swarm.nextUpdate(version + 1, 30_000);
    const started = performance.now();
    const saved = await editor.post('/notes/save', {
      _csrf: formValue(form.html, '_csrf'),
      docreate: 'update',
      notekey: key,
      version: String(version),
      title: `Edited title ${i}`,
      body: `Edited body ${i}\n\n- with a list\n- of two points`,
    });
    result.saves.push(performance.now() - started);
    if (saved.status !== 302) {
      arrived.catch(() => {});
      throw new Error(`POST /notes/save answered ${saved.status}: ${saved.html.slice(0, 300)}`);
    }
    const times = await arrived;
    const deliveries = times.map((t) => t - started);
    result.deliveries.push(...deliveries);
    result.allDelivered.push(Math.max(...deliveries));
    await sleep(250);
  }
  return result;
}
