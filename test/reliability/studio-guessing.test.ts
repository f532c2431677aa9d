import { afterAll, beforeAll, expect, it } from 'vitest';
import { encode } from '../../adapters/ussd/layout.js';
import { hashPassword } from '../../adapters/console/password.js';
import { CONSOLE_ACCOUNT_ATTEMPTS } from '../../adapters/service.js';
import { t } from '../../src/i18n/index.js';
import type { RunningService } from '../support/service.js';
import { describeWithRedis } from '../support/redis.js';
import { FORM, form, Harness, SECRETS } from '../support/reliability.js';

/**
 * Issue 33, point 1: each wrong studio password ran a synchronous scrypt on the event loop and
 * nothing limited attempts; with 32 clients guessing, USSD p50 went from 8.5 ms to 3.9 s and no
 * guess ever got 429. The studio now signs in through the console (asynchronous scrypt, at most
 * two at a time, failures counted per address and per account, audited).
 *
 * Counted, not timed: while 32 clients from 32 addresses guess the recorder's password, a USSD
 * caller's hops are all answered with their screens (no apology, no hang), every guess past the
 * account's budget gets 429, and the lockout is in the audit log.
 */
const h = new Harness();
const CLIENTS = 32;
const GUESSES_EACH = 6;
const HOPS = 40;
const PASSWORD = 'radio kayes enregistre 2024';

describeWithRedis('the studio sign-in under guessing', (redisUrl) => {
  let s: RunningService;
  beforeAll(async () => {
    s = await h.start({
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: `guess${Date.now()}:`,
      WEBHOOK_TOKEN: SECRETS.WEBHOOK_TOKEN,
      PHONE_HASH_KEY: SECRETS.PHONE_HASH_KEY,
      // A cheap cost keeps the file short on a busy machine: checks run off the event loop at
      // any cost (bench/abuse.ts measures the real one, 2^17).
      CONSOLE_USERS: `awa:recorder:${await hashPassword(PASSWORD, { log2N: 13, r: 8, p: 1 })}`,
      LOG_LEVEL: 'info',
      // The machine runs other suites too: a store command slower than the default 300 ms there
      // is the machine's load, not what this file measures (the event loop is never held).
      REDIS_COMMAND_TIMEOUT_MS: '2000',
    });
  });
  afterAll(async () => {
    const leaks = await h.finish('studio-guessing');
    expect(leaks).toEqual([]);
  });

  /** One guess from `address`, the way a browser signs in to the studio. */
  async function guess(address: string, password: string): Promise<number> {
    const headers = { 'x-forwarded-for': address };
    const studio = await h.fetch(`${s.baseUrl}/studio/`, { headers, redirect: 'manual' });
    await studio.arrayBuffer();
    const page = await h.fetch(`${s.baseUrl}${studio.headers.get('location')}`, { headers });
    const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0]!;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
    const answer = await h.fetch(`${s.baseUrl}/admin/login`, {
      method: 'POST',
      headers: { ...headers, ...FORM, cookie },
      body: form({ _csrf: csrf, name: 'awa', password, next: '/studio/' }),
      redirect: 'manual',
    });
    await answer.arrayBuffer();
    if (answer.status === 429) h.tally.limited++;
    return answer.status;
  }

  /** One client: guesses from its own address, one after the other. */
  async function guesser(n: number, statuses: number[]) {
    for (let i = 0; i < GUESSES_EACH; i++) statuses.push(await guess(`198.18.0.${n + 1}`, `guess ${n}-${i}`));
  }

  it(`when ${CLIENTS} clients guess the recorder’s password, then ${HOPS} USSD hops are all answered with their screens and guesses past the budget get 429`, async () => {
    const statuses: number[] = [];
    const screens: string[] = [];
    const apology = `END ${encode(t('fr', 'ussd.error.generic'), 'gsm')}`;
    const caller = (async () => {
      const path = ['1', '2', '98', '0', '3', '215', '00'];
      for (let hop = 0; hop < HOPS; hop++) {
        const text = path.slice(0, hop % (path.length + 1)).join('*');
        const answer = await h.fetch(`${s.baseUrl}/ussd/${SECRETS.WEBHOOK_TOKEN}`, {
          method: 'POST',
          headers: FORM,
          body: form({
            sessionId: `ATUid_guess_${Math.floor(hop / (path.length + 1))}`,
            serviceCode: '*384*12#',
            phoneNumber: h.phone(1),
            text,
          }),
        });
        screens.push(`${answer.status} ${await answer.text()}`);
      }
    })();
    await Promise.all([caller, ...Array.from({ length: CLIENTS }, (_, n) => guesser(n, statuses))]);

    expect(screens).toHaveLength(HOPS);
    for (const screen of screens) {
      expect(screen).toMatch(/^200 (CON|END) /);
      expect(screen).not.toBe(`200 ${apology}`);
    }
    expect(statuses).toHaveLength(CLIENTS * GUESSES_EACH);
    // Every guess was refused: checked and wrong (401), or not checked at all (429: over a
    // budget, or too many sign-ins at once).
    expect(statuses.filter((status) => status !== 401 && status !== 429)).toEqual([]);
    let checked = statuses.filter((status) => status === 401).length;
    expect(checked).toBeLessThanOrEqual(CONSOLE_ACCOUNT_ATTEMPTS);

    // Then guesses from fresh addresses, one at a time: exactly the account's budget of wrong
    // passwords is ever checked; every guess beyond it gets 429, the right password too.
    for (let address = 1; checked < CONSOLE_ACCOUNT_ATTEMPTS; address++) {
      const status = await guess(`198.19.${address}.1`, `late guess ${address}`);
      expect(status).toBe(401);
      checked++;
    }
    for (let i = 0; i < 5; i++) expect(await guess(`198.19.200.${i}`, `beyond ${i}`)).toBe(429);
    expect(await guess('198.19.201.1', PASSWORD)).toBe(429);
    const audit = await s.service.consoleRecords!.auditLog(1000);
    expect(audit.filter((e) => e.action === 'login.failed')).toHaveLength(CONSOLE_ACCOUNT_ATTEMPTS);
    expect(audit).toContainEqual(
      expect.objectContaining({ who: 'awa', action: 'login.locked', detail: 'account' }),
    );
  }, 90_000);
});
