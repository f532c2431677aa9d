import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MemoryTallyBackend } from '../adapters/analytics/memory.js';
import {
  CONSOLE_ACCOUNT_ATTEMPTS,
  CONSOLE_LOGIN_ATTEMPTS,
  CONSOLE_LOGIN_PAGE_VIEWS,
} from '../adapters/service.js';
import { ConsoleClient, PASSWORDS, consoleUsers } from './support/console.js';
import { holdsNumberFragment } from './support/leak-scan.js';
import { startService, type RunningService } from './support/service.js';
import { atHop, newSessionId } from './support/ussd.js';

const NUMBER = '+22376123456';
const NUMBER_FORMS = ['+22376123456', '22376123456', '76123456', '76 12 34 56'];
/** The number's first digits, as a masked or cut number would show them (`7612****`). */
const NUMBER_START = '7612';
const SENTENCE = "Bonjour je suis Moussa Keita, ma fille n'a pas d'acte de naissance a Gao";
const EXPORTS = [
  'replies',
  'by-channel',
  'by-lang',
  'by-kind',
  'people-days',
  'people-weeks',
  'themes',
  'recommendations',
  'screens',
  'sms',
  'misses',
  'wrong-answers',
  'feedback',
  'tofix',
  'audit',
];

/** A client that looks, to the service behind its trusted proxy, like it comes from `address`. */
const from = (running: RunningService, address: string) =>
  new ConsoleClient(running.baseUrl, { 'x-forwarded-for': address });

describe('the console when CONSOLE_USERS is unset', () => {
  it('when /admin is asked for, then it does not exist', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dim-console-off-'));
    const running = await startService({ DATA_DIR: dir, LOG_LEVEL: 'warn' });
    try {
      for (const path of ['/admin', '/admin/login', '/admin/dashboard', '/admin/export/replies.csv']) {
        expect((await fetch(`${running.baseUrl}${path}`, { redirect: 'manual' })).status, path).toBe(404);
      }
      expect(running.service.consoleAnalytics).toBeUndefined();
    } finally {
      await running.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the console over HTTP', () => {
  let running: RunningService;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dim-console-'));
    running = await startService({
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      CONSOLE_USERS: await consoleUsers(),
    });
  }, 30_000);
  afterAll(async () => {
    await running?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('when nobody is signed in, then no page, export or change is served', async () => {
    const client = from(running, '198.51.100.1');
    for (const path of ['/admin/dashboard', '/admin/audit', '/admin/dashboard?from=2020-01-01']) {
      const answer = await client.get(path);
      expect(answer.status, path).toBe(303);
      // To the sign-in page, which leads back to the page asked for.
      expect(answer.location).toBe(`/admin/login?next=${encodeURIComponent(path.split('?')[0]!)}`);
    }
    for (const name of EXPORTS) {
      const answer = await client.get(`/admin/export/${name}.csv`);
      expect(answer.status, name).toBe(401);
      expect(answer.text).toBe('unauthorized');
    }
    const token = await client.token();
    for (const path of ['/admin/tofix/add', '/admin/tofix/remove', '/admin/logout']) {
      expect((await client.post(path, { _csrf: token, words: 'eau' })).status, path).toBe(401);
    }
    expect(await running.service.consoleRecords!.toFix()).toEqual([]);
  });

  it('when signing in, then a wrong password is refused, and a right one gets a new HttpOnly SameSite=Strict cookie (the console’s and the studio’s)', async () => {
    const client = from(running, '198.51.100.2');
    const wrong = await client.login('vera', 'not the password');
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain('Identifiant ou mot de passe incorrect.');
    const unknown = await client.login('nobody', PASSWORDS.vera);
    expect(unknown.status).toBe(401);
    const before = client.cookie;
    const ok = await client.login('vera', PASSWORDS.vera);
    expect(ok.status).toBe(303);
    expect(ok.location).toBe('/admin/dashboard');
    expect(client.cookie).not.toBe(before); // a new session id at login
    expect(client.setCookie).toMatch(/^dim_console=/);
    expect(client.setCookie).toMatch(/; Path=\/;/);
    expect(client.setCookie).toMatch(/; HttpOnly/);
    expect(client.setCookie).toMatch(/; SameSite=Strict/);
    expect(client.setCookie).not.toMatch(/; Secure/); // plain HTTP here
    const page = await client.get('/admin/dashboard');
    expect(page.status).toBe(200);
    // Today's spending against the daily caps (issue 33).
    expect(page.text).toMatch(
      new RegExp(`id="spend-sms"[^>]*>\\d+ / ${running.config.SMS_SEGMENTS_SERVICE_PER_DAY}<`),
    );
    expect(page.text).toMatch(
      new RegExp(`id="spend-calls"[^>]*>\\d+ / ${running.config.VOICE_CALLBACK_SERVICE_PER_DAY}<`),
    );
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('cache-control')).toBe('no-store');
    // The cookie of the session before login is worth nothing.
    const stale = new ConsoleClient(running.baseUrl, { 'x-forwarded-for': '198.51.100.2' });
    stale.cookie = before;
    expect((await stale.get('/admin/dashboard')).status).toBe(303);
  });

  it('when the request came over TLS through the trusted proxy, then the cookie is Secure', async () => {
    const client = new ConsoleClient(running.baseUrl, {
      'x-forwarded-for': '198.51.100.3',
      'x-forwarded-proto': 'https',
    });
    expect((await client.login('vera', PASSWORDS.vera)).status).toBe(303);
    expect(client.setCookie).toMatch(/; Secure/);
  });

  it('when a form is posted without its CSRF token, or with another session’s, then nothing changes', async () => {
    await fabricateMiss(running, 'puits forage');
    const editor = from(running, '198.51.100.4');
    expect((await editor.login('ed', PASSWORDS.ed)).status).toBe(303);
    const auditBefore = (await running.service.consoleRecords!.auditLog()).length;
    const other = from(running, '198.51.100.5');
    const othersToken = await other.token();
    expect((await editor.post('/admin/tofix/add', { words: 'forage puits' })).status).toBe(403);
    expect(
      (await editor.post('/admin/tofix/add', { words: 'forage puits', _csrf: othersToken })).status,
    ).toBe(403);
    expect(
      (await editor.post('/admin/tofix/add', { words: 'forage puits', _csrf: 'x'.repeat(40) })).status,
    ).toBe(403);
    expect((await editor.post('/admin/logout', {})).status).toBe(403);
    // Login itself needs the login page's token (no login CSRF).
    const fresh = from(running, '198.51.100.6');
    expect((await fresh.post('/admin/login', { name: 'ed', password: PASSWORDS.ed })).status).toBe(403);
    expect(await running.service.consoleRecords!.toFix()).toEqual([]);
    expect((await running.service.consoleRecords!.auditLog()).length).toBe(auditBefore);
  });

  it('when a viewer or a broadcaster tries an editor’s change, then it is refused; an editor’s is done and audited', async () => {
    await fabricateMiss(running, 'forage puits');
    for (const [name, password] of [
      ['vera', PASSWORDS.vera],
      ['bob', PASSWORDS.bob],
    ] as const) {
      const client = from(running, `198.51.100.1${name.length}`);
      expect((await client.login(name, password)).status).toBe(303);
      const token = await client.token('/admin/dashboard');
      const page = await client.get('/admin/dashboard');
      expect(page.text).not.toContain('/admin/tofix/add'); // no button for them
      const answer = await client.post('/admin/tofix/add', { _csrf: token, words: 'forage puits' });
      expect(answer.status, name).toBe(403);
    }
    expect(await running.service.consoleRecords!.toFix()).toEqual([]);

    const editor = from(running, '198.51.100.20');
    expect((await editor.login('ed', PASSWORDS.ed)).status).toBe(303);
    const page = await editor.get('/admin/dashboard');
    expect(page.text).toContain('forage puits');
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
    const added = await editor.post('/admin/tofix/add', { _csrf: token, words: 'forage puits' });
    expect(added.status).toBe(303);
    // Words the console does not show cannot be put on the list.
    expect((await editor.post('/admin/tofix/add', { _csrf: token, words: 'anything else' })).status).toBe(
      404,
    );
    const removed = await editor.post('/admin/tofix/remove', { _csrf: token, words: 'forage puits' });
    expect(removed.status).toBe(303);
    expect((await editor.post('/admin/tofix/add', { _csrf: token, words: 'forage puits' })).status).toBe(303);
    expect((await running.service.consoleRecords!.toFix()).map((e) => [e.words, e.by])).toEqual([
      ['forage puits', 'ed'],
    ]);

    const log = await running.service.consoleRecords!.auditLog();
    const changes = log
      .filter((entry) => entry.action.startsWith('tofix.'))
      .map((e) => [e.who, e.action, e.detail]);
    expect(changes).toEqual([
      ['ed', 'tofix.add', 'forage puits'],
      ['ed', 'tofix.remove', 'forage puits'],
      ['ed', 'tofix.add', 'forage puits'],
    ]);
    expect(log.some((e) => e.who === 'ed' && e.action === 'login')).toBe(true);
    const auditPage = await editor.get('/admin/audit');
    expect(auditPage.text).toContain('tofix.remove');
    const csv = await editor.get('/admin/export/audit.csv');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.text.split('\r\n')[0]).toBe('Quand,Qui,Action,Détail');
    expect(csv.text).toMatch(/,ed,tofix\.add,forage puits\r\n/);

    expect((await editor.post('/admin/logout', { _csrf: token })).status).toBe(303);
    expect((await editor.get('/admin/dashboard')).status).toBe(303);
    expect((await running.service.consoleRecords!.auditLog())[0]).toMatchObject({
      who: 'ed',
      action: 'logout',
    });
  });

  it('when a phone number and a sentence go through the channels, then no page, export or stored figure of the console holds them, nor the pseudonym', async () => {
    const pseudonym = running.service.pseudonymize(NUMBER);
    // SMS and USSD traffic from the known number, the sentence as its SMS.
    const sms = await fetch(`${running.baseUrl}/sms`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ from: NUMBER, to: '36000', text: SENTENCE, id: `known-${Date.now()}` }),
    });
    expect(sms.status).toBe(200);
    const sessionId = newSessionId();
    for (const text of ['', '1', '1*2'])
      expect((await atHop(running.baseUrl, { sessionId, phone: NUMBER, text })).status).toBe(200);
    // Through the port, as the channels will: the sentence as a miss by this person and 5 others.
    for (const person of [pseudonym, 'p_a', 'p_b', 'p_c', 'p_d', 'p_e']) {
      running.service.analytics.record({
        type: 'searchMiss',
        person,
        channel: 'sms',
        lang: 'fr',
        outcome: 'none',
        normalisedWords: SENTENCE,
      });
      running.service.analytics.record({
        type: 'wrongAnswer',
        person,
        channel: 'sms',
        normalisedWords: SENTENCE,
        resultIds: ['4.2'],
      });
      running.service.analytics.record({
        type: 'reply',
        person,
        channel: 'sms',
        lang: 'fr',
        kind: 'recommendation',
        recId: '4.2',
      });
    }
    await running.service.sms.flush();
    await running.service.consoleAnalytics!.flush();

    const editor = from(running, '198.51.100.30');
    expect((await editor.login('ed', PASSWORDS.ed)).status).toBe(303);
    const dashboard = await editor.get('/admin/dashboard');
    const token = /name="_csrf" value="([^"]+)"/.exec(dashboard.text)![1]!;
    // The sentence's normalised words are shown (6 people); put them on the list too.
    const words = 'acte fille keita moussa naissance suis';
    expect(dashboard.text).toContain(words);
    expect((await editor.post('/admin/tofix/add', { _csrf: token, words })).status).toBe(303);

    const texts: Array<[string, string]> = [];
    for (const path of ['/admin/dashboard', '/admin/dashboard?lang=en', '/admin/audit', '/admin/login'])
      texts.push([path, (await editor.get(path)).text]);
    for (const name of EXPORTS) {
      const csv = await editor.get(`/admin/export/${name}.csv`);
      expect(csv.status, name).toBe(200);
      texts.push([name, csv.text]);
    }
    const backend = (running.service.consoleAnalytics as unknown as { backend: MemoryTallyBackend }).backend;
    texts.push(['analytics store', backend.dump()]);
    texts.push(['audit', JSON.stringify(await running.service.consoleRecords!.auditLog())]);
    texts.push(['to fix', JSON.stringify(await running.service.consoleRecords!.toFix())]);
    expect(texts.find(([name]) => name === 'misses')![1]).toContain(words);
    for (const [where, text] of texts) {
      for (const form of NUMBER_FORMS) expect(text, `${where} holds ${form}`).not.toContain(form);
      expect(holdsNumberFragment(text, NUMBER_START), `${where} holds ${NUMBER_START}…`).toBe(false);
      expect(text, where).not.toContain(SENTENCE);
      expect(text, where).not.toContain("n'a pas d'acte");
      expect(text, where).not.toContain('Moussa Keita');
      expect(text, where).not.toContain(pseudonym);
      expect(text.toLowerCase(), where).not.toContain('gao'); // past the 6 words kept
    }
  });

  it('when one address asks for the login page over and over, then it is refused past its budget (each view stores a session)', async () => {
    const address = '203.0.113.99';
    for (let i = 0; i < CONSOLE_LOGIN_PAGE_VIEWS; i++) {
      expect((await from(running, address).get('/admin/login')).status).toBe(200);
    }
    const refused = await from(running, address).get('/admin/login');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('set-cookie')).toBeNull();
    expect((await from(running, '203.0.113.100').get('/admin/login')).status).toBe(200);
  });

  it(`when an address tries to sign in more than ${CONSOLE_LOGIN_ATTEMPTS} times in 15 minutes, then it is refused even with the right password`, async () => {
    const client = from(running, '203.0.113.7');
    for (let i = 0; i < CONSOLE_LOGIN_ATTEMPTS; i++) {
      expect((await client.login(`guess${i}`, 'wrong')).status).toBe(401);
    }
    const limited = await client.login('vera', PASSWORDS.vera);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await client.get('/admin/dashboard')).status).toBe(303);
    // Another address still gets in.
    expect((await from(running, '203.0.113.8').login('vera', PASSWORDS.vera)).status).toBe(303);
  });

  it('when an operator exports a table as CSV, then the audit log says who took which table for which days', async () => {
    const vera = from(running, '198.51.100.40');
    expect((await vera.login('vera', PASSWORDS.vera)).status).toBe(303);
    expect((await vera.get('/admin/export/misses.csv?from=2020-01-01')).status).toBe(200);
    expect((await vera.get('/admin/export/audit.csv')).status).toBe(200);
    const audit = await running.service.consoleRecords!.auditLog();
    const exports = audit.filter((e) => e.who === 'vera' && e.action === 'export').map((e) => e.detail);
    expect(exports).toContain('audit');
    expect(exports.some((detail) => /^misses \d{4}-\d{2}-\d{2}\.\.\d{4}-\d{2}-\d{2}$/.test(detail))).toBe(
      true,
    );
  });

  it(`when one account fails from many addresses, then it is locked past ${CONSOLE_ACCOUNT_ATTEMPTS} failures, and the lockout is audited`, async () => {
    let refusedAt = 0;
    for (let i = 1; i <= CONSOLE_ACCOUNT_ATTEMPTS + 1 && !refusedAt; i++) {
      const status = (await from(running, `192.0.2.${i}`).login('bob', 'wrong')).status;
      if (status === 429) refusedAt = i;
      else expect(status).toBe(401);
    }
    expect(refusedAt).toBe(CONSOLE_ACCOUNT_ATTEMPTS + 1);
    expect((await from(running, '192.0.2.200').login('bob', PASSWORDS.bob)).status).toBe(429);
    // Another account is not affected.
    expect((await from(running, '192.0.2.201').login('ed', PASSWORDS.ed)).status).toBe(303);
    const audit = await running.service.consoleRecords!.auditLog(2000);
    expect(audit.filter((e) => e.who === 'bob' && e.action === 'login.failed')).toHaveLength(
      CONSOLE_ACCOUNT_ATTEMPTS,
    );
    expect(audit.filter((e) => e.who === 'bob' && e.action === 'login.locked')).toEqual([
      expect.objectContaining({ detail: 'account' }),
    ]);
  });

  it('when one address fails on an operator’s name up to its limit, then she still signs in from her own, and her sign-ins count nothing', async () => {
    // Issue 33, point 4: the per-account counter counted before the password was checked,
    // successes too: anyone who knew a name could lock its operator out.
    for (let i = 0; i <= CONSOLE_LOGIN_ATTEMPTS + 1; i++) {
      const ed = from(running, '203.0.113.50');
      expect((await ed.login('ed', PASSWORDS.ed)).status, `sign-in ${i + 1}`).toBe(303);
    }
    const attacker = from(running, '203.0.113.66');
    for (let i = 0; i < CONSOLE_LOGIN_ATTEMPTS; i++)
      expect((await attacker.login('ed', `guess ${i}`)).status).toBe(401);
    expect((await attacker.login('ed', PASSWORDS.ed)).status).toBe(429);
    expect((await from(running, '203.0.113.50').login('ed', PASSWORDS.ed)).status).toBe(303);
    // Failures and the lockout are audited; a name that is no account is never written down.
    await from(running, '203.0.113.67').login('my password is hunter2', 'x');
    const audit = await running.service.consoleRecords!.auditLog(2000);
    expect(audit.filter((e) => e.who === 'ed' && e.action === 'login.failed').length).toBeGreaterThanOrEqual(
      CONSOLE_LOGIN_ATTEMPTS,
    );
    expect(audit).toContainEqual(
      expect.objectContaining({ who: 'ed', action: 'login.locked', detail: 'address' }),
    );
    expect(audit).toContainEqual(expect.objectContaining({ who: '(unknown)', action: 'login.failed' }));
    expect(JSON.stringify(audit)).not.toContain('hunter2');
  });
});

/** Six different people searched these words and found nothing (through the port, as channels will). */
async function fabricateMiss(running: RunningService, words: string): Promise<void> {
  for (const person of ['p_1', 'p_2', 'p_3', 'p_4', 'p_5', 'p_6']) {
    running.service.analytics.record({
      type: 'searchMiss',
      person,
      channel: 'ussd',
      lang: 'fr',
      outcome: 'none',
      normalisedWords: words,
    });
  }
  await running.service.consoleAnalytics!.flush();
}
