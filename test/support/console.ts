import { hashPassword } from '../../adapters/console/password.js';

/** Test accounts: scrypt at a low cost (2^12) so a login takes milliseconds; the format is the real one. */
export const PASSWORDS = {
  vera: 'viewer password 1',
  ed: 'editor password 2',
  bob: 'broadcaster password 3',
  rita: 'recorder password 4',
  tina: 'translator password 5',
} as const;

export async function consoleUsers(): Promise<string> {
  const cost = { log2N: 12, r: 8, p: 1 };
  return [
    `vera:viewer:${await hashPassword(PASSWORDS.vera, cost)}`,
    `ed:editor:${await hashPassword(PASSWORDS.ed, cost)}`,
    `bob:broadcaster:${await hashPassword(PASSWORDS.bob, cost)}`,
    `rita:recorder:${await hashPassword(PASSWORDS.rita, cost)}`,
    `tina:translator:${await hashPassword(PASSWORDS.tina, cost)}`,
  ].join(',');
}

export interface Answer {
  status: number;
  text: string;
  headers: Headers;
  location: string | null;
}

/** A browser-like client over fetch: keeps the console's cookie, never follows redirects. */
export class ConsoleClient {
  cookie = '';
  setCookie = '';

  constructor(
    readonly baseUrl: string,
    readonly headers: Record<string, string> = {},
  ) {}

  async request(method: 'GET' | 'POST', path: string, form?: Record<string, string>): Promise<Answer> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      redirect: 'manual',
      headers: {
        ...this.headers,
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: form ? new URLSearchParams(form) : undefined,
    });
    const set = response.headers.get('set-cookie');
    if (set) {
      this.setCookie = set;
      const pair = set.split(';')[0]!;
      this.cookie = /=$/.test(pair) || /Expires=Thu, 01 Jan 1970/.test(set) ? '' : pair;
    }
    return {
      status: response.status,
      text: await response.text(),
      headers: response.headers,
      location: response.headers.get('location'),
    };
  }

  get(path: string) {
    return this.request('GET', path);
  }

  post(path: string, form: Record<string, string>) {
    return this.request('POST', path, form);
  }

  /** The CSRF token of the page at `path` (its forms' hidden `_csrf`). */
  async token(path = '/admin/login'): Promise<string> {
    const page = await this.get(path);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
    if (!token) throw new Error(`no CSRF token on ${path} (status ${page.status})`);
    return token;
  }

  async login(name: string, password: string, next?: string): Promise<Answer> {
    const _csrf = await this.token('/admin/login');
    return this.post('/admin/login', { _csrf, name, password, ...(next ? { next } : {}) });
  }

  /** Signs in and opens the studio: its page's CSRF token (the session's), for the studio's POSTs. */
  async studio(name: string, password: string): Promise<string> {
    const signedIn = await this.login(name, password, '/studio/');
    if (signedIn.status !== 303) throw new Error(`sign-in as ${name}: ${signedIn.status}`);
    const page = await this.get('/studio/');
    const token = /name="csrf-token" content="([^"]+)"/.exec(page.text)?.[1];
    if (!token) throw new Error(`no studio page for ${name} (status ${page.status})`);
    return token;
  }
}
