/** A minimal browser for the server-rendered pages: a cookie jar, no redirects followed. */
export class Browser {
  readonly cookies = new Map<string, string>();
  constructor(public base: string) {}

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private remember(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      if (eq > 0) this.cookies.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
    }
  }

  async request(
    path: string,
    init: { method?: string; form?: Record<string, string> } = {},
  ): Promise<{ status: number; location: string | null; text: string }> {
    const headers: Record<string, string> = { cookie: this.cookieHeader() };
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    }
    const res = await fetch(this.base + path, {
      method: init.method ?? (init.form ? 'POST' : 'GET'),
      headers,
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(15_000),
    });
    this.remember(res);
    return { status: res.status, location: res.headers.get('location'), text: await res.text() };
  }

  /** The CSRF token of the form on `path`. */
  async csrf(path: string): Promise<string> {
    const page = await this.request(path);
    const token = /name="_csrf"\s+value="([^"]+)"/.exec(page.text)?.[1];
    if (!token) throw new Error(`no CSRF token on ${path} (status ${page.status})`);
    return token;
  }

  async login(username: string, password: string): Promise<{ status: number; location: string | null }> {
    const _csrf = await this.csrf('/users/login');
    return this.request('/users/login', { form: { _csrf, username, password } });
  }

  /** Creates a public note (anonymous visitors read it) through the add form; returns the redirect. */
  async addNote(
    key: string,
    title: string,
    body: string,
  ): Promise<{ status: number; location: string | null }> {
    const _csrf = await this.csrf('/notes/add');
    return this.request('/notes/save', {
      form: { _csrf, docreate: 'create', notekey: key, title, body, visibility: 'public' },
    });
  }

  /** True when the session is logged in (the add form is served instead of a redirect to login). */
  async loggedIn(): Promise<boolean> {
    const page = await this.request('/notes/add');
    return page.status === 200 && page.text.includes('action="/notes/save"');
  }
}
