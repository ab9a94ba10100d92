/**
 * A tiny browser stand-in for HTTP tests: fetch with a cookie jar, no automatic redirects, and
 * helpers that scrape the CSRF token from the form of a page like a user would submit it.
 */
export class WebClient {
  private readonly cookies = new Map<string, string>();

  /** `headers` go with every request (e.g. the X-Forwarded-For of a proxy in front). */
  constructor(
    readonly base: string,
    private readonly headers: Record<string, string> = {},
  ) {}

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  setCookie(name: string, value: string): void {
    this.cookies.set(name, value);
  }

  async request(path: string, init: RequestInit = {}): Promise<{ res: Response; text: string }> {
    const headers = new Headers(this.headers);
    // forEach rather than iteration: highlight.js's types bring in the DOM lib, whose Headers
    // (without dom.iterable) is not iterable to the type checker.
    new Headers(init.headers).forEach((value, name) => {
      headers.set(name, value);
    });
    if (this.cookies.size > 0) headers.set('cookie', this.cookieHeader());
    const res = await fetch(this.base + path, { ...init, headers, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (/expires=Thu, 01 Jan 1970/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return { res, text: await res.text() };
  }

  get(path: string, headers: Record<string, string> = {}) {
    return this.request(path, { headers });
  }

  post(path: string, fields: Record<string, string>) {
    return this.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
  }

  /** GETs `page`, takes the CSRF token of its `form[action=action]`, POSTs the fields with it. */
  async submit(page: string, action: string, fields: Record<string, string>) {
    const { text } = await this.get(page);
    return this.post(action, { _csrf: csrfFrom(text, action), ...fields });
  }

  /** Creates a note through the add form like a user would (no notekey: the server picks one). */
  addNote(fields: { notekey?: string; title: string; body: string }) {
    return this.submit('/notes/add', '/notes/save', { docreate: 'create', notekey: '', ...fields });
  }

  /** POSTs a note form with the CSRF token of `formHtml`, a page with that form fetched earlier. */
  saveNote(formHtml: string, fields: Record<string, string>) {
    return this.post('/notes/save', { _csrf: csrfFrom(formHtml, '/notes/save'), ...fields });
  }

  async login(username: string, password: string) {
    const result = await this.submit('/users/login', '/users/login', { username, password });
    if (result.res.status !== 302) throw new Error(`login failed (${result.res.status}): ${h1(result.text)}`);
    return result;
  }
}

/** The `_csrf` value of the form posting to `action`. */
export function csrfFrom(html: string, action: string): string {
  const start = html.indexOf(`action="${action}"`);
  if (start < 0) throw new Error(`no form posting to ${action}`);
  const end = html.indexOf('</form>', start);
  const match = /name="_csrf" value="([^"]+)"/.exec(html.slice(start, end));
  if (!match) throw new Error(`the form posting to ${action} has no CSRF token`);
  return match[1]!;
}

function decode(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&#x3D;/g, '=')
    .replace(/&#x60;/g, '`')
    .replace(/&amp;/g, '&');
}

/** Text of the first element matching `<tag ... id="id"...>…</tag>` (no nesting of the same tag). */
export function byId(html: string, id: string): string | undefined {
  const m = new RegExp(`<(\\w+)[^>]*\\bid="${id}"[^>]*>([\\s\\S]*?)</\\1>`).exec(html);
  return m ? m[2] : undefined;
}

export function h1(html: string): string | undefined {
  const m = /<h1[^>]*>([\s\S]*?)<\/h1>/.exec(html);
  return m ? decode(m[1]!.trim()) : undefined;
}

export function h2(html: string): string | undefined {
  const m = /<h2[^>]*>([\s\S]*?)<\/h2>/.exec(html);
  return m ? decode(m[1]!.trim()) : undefined;
}

export function textOf(html: string | undefined): string {
  return decode((html ?? '').replace(/<[^>]+>/g, '')).trim();
}

/** The value of an input or textarea named `name` (decoded). */
export function fieldValue(html: string, name: string): string | undefined {
  const input = new RegExp(`<input[^>]*name="${name}"[^>]*value="([^"]*)"`).exec(html);
  if (input) return decode(input[1]!);
  const area = new RegExp(`<textarea[^>]*name="${name}"[^>]*>([\\s\\S]*?)</textarea>`).exec(html);
  return area ? decode(area[1]!) : undefined;
}

/** The note keys linked from `#notetitles`, in page order. */
export function listedKeys(html: string): string[] {
  // The list's items are nested elements: everything up to the empty-list line that follows it.
  const list = sliceFrom(html, 'notetitles', 'id="nonotes"');
  return [...list.matchAll(/href="\/notes\/view\?key=([^"]+)"/g)].map((m) => decodeURIComponent(m[1]!));
}

/** The HTML from the element with `id` up to the first `until` after it (for nested markup). */
export function sliceFrom(html: string, id: string, until: string): string {
  const start = html.indexOf(`id="${id}"`);
  if (start < 0) return '';
  const end = html.indexOf(until, start);
  return html.slice(start, end < 0 ? undefined : end);
}
