/** Logging in and filling forms over plain HTTP, as a browser would (cookies, CSRF token). */

/** The value of a hidden input `name` in an HTML form ('' when absent); either attribute order. */
export function formValue(html: string, name: string): string {
  for (const tag of html.match(/<input\b[^>]*>/gi) ?? []) {
    if (!new RegExp(`\\bname=["']${name}["']`).test(tag)) continue;
    const value = /\bvalue=["']([^"']*)["']/.exec(tag);
    return value ? decodeEntities(value[1]!) : '';
  }
  return '';
}

function decodeEntities(s: string): string {
  return s
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCharCode(Number(d)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** A tiny cookie jar: name=value pairs from Set-Cookie, sent back as one Cookie header. */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  take(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      if (eq > 0) this.cookies.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
    }
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

export interface Browser {
  jar: CookieJar;
  get: (path: string) => Promise<{ status: number; html: string; location: string }>;
  post: (
    path: string,
    form: Record<string, string>,
  ) => Promise<{ status: number; html: string; location: string }>;
}

export function browser(base: string): Browser {
  const jar = new CookieJar();
  const send = async (path: string, init: RequestInit) => {
    const res = await fetch(base + path, {
      ...init,
      redirect: 'manual',
      signal: AbortSignal.timeout(15_000),
      headers: { ...(init.headers as Record<string, string>), cookie: jar.header() },
    });
    jar.take(res);
    return { status: res.status, html: await res.text(), location: res.headers.get('location') ?? '' };
  };
  return {
    jar,
    get: (path) => send(path, { method: 'GET' }),
    post: (path, form) =>
      send(path, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base },
        body: new URLSearchParams(form).toString(),
      }),
  };
}

/** Logs in through the login form; resolves with the browser whose jar holds the session cookie. */
export async function logIn(base: string, username: string, password: string): Promise<Browser> {
  const b = browser(base);
  const form = await b.get('/users/login');
  if (form.status !== 200) throw new Error(`GET /users/login answered ${form.status}`);
  const res = await b.post('/users/login', { _csrf: formValue(form.html, '_csrf'), username, password });
  if (res.status !== 302 || res.location.includes('/users/login')) {
    throw new Error(`login as ${username} failed: ${res.status} ${res.location} ${res.html.slice(0, 300)}`);
  }
  return b;
}
