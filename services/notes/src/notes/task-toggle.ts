import { renderMarkdown } from './markdown.js';

/** A task list item's marker: the bullet (or number), then `[ ]` or `[x]`, in a list or a quote. */
const TASK_LINE = /^((?:[ \t]*>)*[ \t]*(?:[-+*]|\d{1,9}[.)])[ \t]+\[)([ xX])(\][ \t])/;
const FENCE = /^(?:[ \t]*>)*[ \t]{0,3}(`{3,}|~{3,})/;

/** Whether each rendered checkbox (`data-task`, in order) is ticked. */
function renderedTasks(body: string): boolean[] {
  const html = renderMarkdown(body);
  return [...html.matchAll(/<input[^>]*data-task="(\d+)"[^>]*>/g)].map((m) => /\bchecked\b/.test(m[0]));
}

/**
 * The body with its `index`-th task (as the page numbers them, from 0) ticked or not; null when the
 * body has no such task, or when the marker found is not the box the page shows as that number
 * (Markdown this scan does not follow): then nothing is changed rather than the wrong line.
 */
export function setTask(body: string, index: number, done: boolean): string | null {
  const lines = body.split('\n');
  let fence: string | undefined;
  let n = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const open = FENCE.exec(line)?.[1];
    if (open && (fence === undefined || open.startsWith(fence))) {
      fence = fence === undefined ? open : undefined;
      continue;
    }
    if (fence !== undefined) continue;
    const marker = TASK_LINE.exec(line);
    if (!marker) continue;
    if (n++ !== index) continue;
    lines[i] = marker[1] + (done ? 'x' : ' ') + marker[3] + line.slice(marker[0].length);
    const changed = lines.join('\n');
    const before = renderedTasks(body);
    const after = renderedTasks(changed);
    const sameBoxes =
      before.length === after.length && after.every((t, j) => t === (j === index ? done : before[j]));
    return sameBoxes ? changed : null;
  }
  return null;
}
