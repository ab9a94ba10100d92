/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { describe, expect, test } from 'vitest';
import { useE2e } from './stack.js';
import { addNote, commentItems, poll, postComment, screenshot, uniq, viewUrl } from './support.js';

// Two replicas: what one reader does reaches a reader on the other replica through Redis.
const e2e = useE2e('e2e_comments', { notesReplicas: 2 });

/** Alice on replica 1 and Bob on replica 2, both on a new note of Alice's. */
async function twoReaders() {
  const alice = (await e2e.as(e2e.alice)).page;
  const key = await addNote(alice, { title: `Talk ${uniq()}`, body: 'let us talk' });
  const bob = (await e2e.as(e2e.bob, { baseURL: e2e.stack().notes[1]!.url })).page;
  await bob.goto(viewUrl(key));
  await bob.locator('form#comment-form').waitFor();
  return { alice, bob, key };
}

describe('comments in the browser', () => {
  test('Markdown comments; the author edits one in place and the other reader sees it live', async () => {
    const { alice, bob } = await twoReaders();
    const text = `plain start ${uniq()}`;
    const form = alice.locator('form#comment-form');
    await form
      .locator('[name=message]')
      .fill(`${text} **strong words** ![a cat](https://example.com/cat.png)`);
    await form.locator('[type=submit]').click();
    const onBob = commentItems(bob).filter({ hasText: text });
    await onBob.waitFor();
    await expect(onBob.locator('.message-text strong').textContent()).resolves.toBe('strong words');
    await expect(onBob.locator('img').count()).resolves.toBe(0);
    // Bob may neither edit nor delete Alice's comment (she owns the note and wrote it).
    await expect(onBob.locator('a.comment-edit, button.comment-delete').count()).resolves.toBe(0);

    const mine = commentItems(alice).filter({ hasText: text });
    await mine.locator('a.comment-edit').click();
    const editor = mine.locator('form.comment-editor');
    const area = editor.locator('textarea[name=message]');
    await expect(area.inputValue()).resolves.toContain('**strong words**');
    await expect(editor.locator('label').textContent()).resolves.toMatch(/Edit your comment/);
    await screenshot(alice, 'comment-editing');
    await area.fill(`${text} now *changed live*`);
    await editor.locator('button[type=submit]').click();
    await editor.waitFor({ state: 'detached' });
    await expect(mine.locator('.message-text em').textContent()).resolves.toBe('changed live');
    await poll(() => onBob.locator('.message-text em').count()).toBe(1);
    await expect(onBob.locator('.message-edited').textContent()).resolves.toBe('(edited)');
    await expect(onBob.locator('.message-text strong').count()).resolves.toBe(0);

    // Refused for anyone else: the edit page, and a form post with Bob's own token.
    const id = await mine.getAttribute('data-id');
    const refused = await bob.evaluate(async (commentId) => {
      const token = (document.querySelector('form#comment-form [name=_csrf]') as HTMLInputElement).value;
      const post = (path: string, fields: Record<string, string>) =>
        fetch(path, {
          method: 'POST',
          body: new URLSearchParams({ _csrf: token, id: commentId, ...fields }),
          redirect: 'manual',
        }).then((r) => r.status);
      return {
        page: (await fetch(`/comments/edit?id=${commentId}`)).status,
        edit: await post('/comments/edit', { message: 'taken over' }),
        destroy: await post('/comments/destroy', {}),
      };
    }, id!);
    expect(refused).toEqual({ page: 403, edit: 403, destroy: 403 });
    await bob.reload();
    await expect(commentItems(bob).filter({ hasText: text }).locator('em').textContent()).resolves.toBe(
      'changed live',
    );
  });

  test('a deleted comment can be brought back with Undo, for every reader', async () => {
    const { alice, bob } = await twoReaders();
    const text = `undo me ${uniq()}`;
    await postComment(bob, text);
    await commentItems(alice).filter({ hasText: text }).waitFor();

    await commentItems(bob).filter({ hasText: text }).locator('button.comment-delete').click();
    const notice = bob.locator('#comment-undo[role=status]');
    const undo = notice.getByRole('button', { name: 'Undo' });
    await undo.waitFor();
    await expect(notice.textContent()).resolves.toContain('Comment deleted.');
    await expect(commentItems(bob).filter({ hasText: text }).isVisible()).resolves.toBe(false);
    await poll(() => commentItems(alice).filter({ hasText: text }).count()).toBe(0);
    // Focus went to the Undo button, so a keyboard user undoes with Enter.
    await expect(bob.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Undo');
    await screenshot(bob, 'comment-undo');
    await bob.keyboard.press('Enter');
    await poll(() => commentItems(bob).filter({ hasText: text }).isVisible()).toBe(true);
    await poll(() => commentItems(alice).filter({ hasText: text }).count()).toBe(1);
    await expect(notice.textContent()).resolves.toBe('');
    await bob.reload();
    await expect(commentItems(bob).filter({ hasText: text }).count()).resolves.toBe(1);
  });

  test('a deleted comment left alone is gone for good after the undo time', async () => {
    const { alice, bob } = await twoReaders();
    const text = `gone soon ${uniq()}`;
    await postComment(alice, text);
    await commentItems(bob).filter({ hasText: text }).waitFor();
    const id = Number(await commentItems(alice).filter({ hasText: text }).getAttribute('data-id'));
    await commentItems(alice).filter({ hasText: text }).locator('button.comment-delete').click();
    const undo = alice.locator('#comment-undo').getByRole('button', { name: 'Undo' });
    await undo.waitFor();
    await poll(() => commentItems(bob).filter({ hasText: text }).count()).toBe(0);
    await undo.waitFor({ state: 'detached', timeout: 7000 });
    await expect(commentItems(alice).filter({ hasText: text }).count()).resolves.toBe(0);
    await new Promise((r) => setTimeout(r, 1500)); // the server's purge runs just after the undo time
    // Too late to undo now (asked over a fresh socket of the same page).
    const late = await alice.evaluate(
      (commentId) =>
        new Promise((resolve) => {
          type Io = (ns: string, o: object) => { emit: (...a: unknown[]) => void; close: () => void };
          const s = (window as unknown as { io: Io }).io('/notes', {
            transports: ['websocket'],
            forceNew: true,
          });
          s.emit('undo-delete-message', { id: commentId }, (answer: unknown) => {
            s.close();
            resolve(answer);
          });
        }),
      id,
    );
    expect(late).toMatchObject({ ok: false, error: { code: 'conflict' } });
    for (const page of [alice, bob]) {
      await page.reload();
      await expect(commentItems(page).filter({ hasText: text }).count()).resolves.toBe(0);
    }
  }, 30_000);

  test('without JavaScript, a comment is added, edited and deleted through forms', async () => {
    const alice = (await e2e.as(e2e.alice)).page;
    const key = await addNote(alice, { title: `No script ${uniq()}`, body: 'forms only' });
    const plain = (await e2e.as(e2e.alice, { javaScriptEnabled: false })).page;
    await plain.goto(viewUrl(key));
    const text = `by form ${uniq()}`;
    await plain.locator('form#comment-form [name=message]').fill(`${text} _typed_`);
    await Promise.all([
      plain.waitForURL(/notes\/view/),
      plain.locator('form#comment-form [type=submit]').click(),
    ]);
    const card = commentItems(plain).filter({ hasText: text });
    await expect(card.locator('em').textContent()).resolves.toBe('typed');
    await Promise.all([plain.waitForURL(/comments\/edit/), card.locator('a.comment-edit').click()]);
    await plain.locator('textarea[name=message]').fill(`${text} edited`);
    await Promise.all([plain.waitForURL(/notes\/view/), plain.locator('button[type=submit]').click()]);
    await expect(card.locator('.message-edited').count()).resolves.toBe(1);
    await Promise.all([plain.waitForURL(/notes\/view/), card.locator('button.comment-delete').click()]);
    await expect(commentItems(plain).filter({ hasText: text }).count()).resolves.toBe(0);
    await expect(plain.locator('#flash').textContent()).resolves.toContain('Comment deleted.');
  });
});
