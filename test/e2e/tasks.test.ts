/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { describe, expect, test } from 'vitest';
import { useE2e } from './stack.js';
import { addNote, poll, screenshot, uniq, viewUrl } from './support.js';

const e2e = useE2e('e2e_tasks');

describe('task lists in the browser', () => {
  test('the owner ticks a box and it is saved; a reader who may not edit sees it, disabled', async () => {
    const alice = (await e2e.as(e2e.alice)).page;
    const key = await addNote(alice, { title: `Chores ${uniq()}`, body: '- [ ] dishes\n- [ ] laundry\n' });
    const bob = (await e2e.as(e2e.bob)).page;
    await bob.goto(viewUrl(key));
    const bobsBox = bob.locator('#notebody input.task-check[aria-label="laundry"]');
    await expect(bobsBox.isDisabled()).resolves.toBe(true);

    // Alice edits in place (DESIGN 4.9): the boxes she ticks are those of the live preview.
    const box = alice
      .locator(
        '#note-preview input.task-check[aria-label="laundry"], #notebody:visible input.task-check[aria-label="laundry"]',
      )
      .first();
    await poll(() => box.isEnabled()).toBe(true);
    await screenshot(alice, 'task-list-tickable');
    await box.check();
    await poll(() => bobsBox.isChecked()).toBe(true);
    await expect(bobsBox.isDisabled()).resolves.toBe(true);
    await poll(() => alice.locator('.cm-content').textContent()).toContain('- [x] laundry');
    await expect(alice.locator('#task-error').textContent()).resolves.toBe('');

    // Saved: a fresh page has it ticked (and the other box as it was).
    await bob.reload();
    await expect(bobsBox.isChecked()).resolves.toBe(true);
    await expect(bob.locator('#notebody input.task-check[aria-label="dishes"]').isChecked()).resolves.toBe(
      false,
    );
  });
});
