// Note form: a text over the character limit is stopped before it is sent, so it stays in the
// textarea (the server refuses it too, and shows the form again with the text and the limit).
(() => {
  const form = document.querySelector('form[action="/notes/save"]');
  const text = document.getElementById('body');
  if (!form || !text) return;
  const max = Number(text.dataset.maxCharacters);
  form.addEventListener('submit', (event) => {
    let count = 0;
    for (const _ of text.value.replace(/\r\n/g, '\n')) count++;
    if (!(count > max)) return;
    event.preventDefault();
    let box = document.getElementById('formmessage');
    if (!box) {
      box = document.createElement('div');
      box.id = 'formmessage';
      box.className = 'alert alert-danger';
      box.setAttribute('role', 'alert');
      form.before(box);
    }
    box.textContent = `body: must be at most ${text.dataset.limit} (it has ${count.toLocaleString('en-US')})`;
    text.classList.add('is-invalid');
    text.focus();
  });
})();
