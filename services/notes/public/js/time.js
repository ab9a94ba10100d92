// Times: the server writes them relative ("5 minutes ago", right without JavaScript) with the exact
// UTC time in the title; here the title becomes the reader's own local time, and the words are kept
// current while the page stays open.
(() => {
  // Explicit fields: dateStyle/timeStyle cannot be combined with timeZoneName (a RangeError in
  // Chromium that stopped every script after this one).
  const exact = new Intl.DateTimeFormat(undefined, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
  });
  function ago(date) {
    const seconds = Math.max(0, Math.round((Date.now() - date.getTime()) / 1000));
    const plural = (n, unit) => `${n} ${unit}${n === 1 ? '' : 's'} ago`;
    if (seconds < 45) return 'just now';
    const minutes = Math.round(seconds / 60);
    if (minutes < 60) return plural(minutes, 'minute');
    const hours = Math.round(minutes / 60);
    if (hours < 24) return plural(hours, 'hour');
    const days = Math.round(hours / 24);
    if (days < 30) return plural(days, 'day');
    return date.toISOString().slice(0, 10);
  }
  function localise(el) {
    const date = new Date(el.getAttribute('datetime') ?? '');
    if (Number.isNaN(date.getTime())) return;
    el.title = exact.format(date);
    // Only the relative ones (the server wrote words, not a date and time) are kept current.
    if (/ago$|^just now$/.test(el.textContent.trim())) el.textContent = ago(date);
  }
  const all = () => document.querySelectorAll('time[datetime]').forEach(localise);
  window.notesLocalTimes = (el) => (el ? localise(el) : all());
  window.notesFormatTime = (iso) => exact.format(new Date(iso));
  all();
  setInterval(all, 60_000);
})();
