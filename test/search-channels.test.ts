import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmsHarness, type SmsHarness } from './support/sms.js';
import { t } from '../src/i18n/index.js';
import { toGsm7 } from '../src/text/gsm7.js';
import { AtSession } from './support/ussd.js';

/**
 * Issue 12, "one search policy for every channel": the same words give the same first results
 * through the API, an SMS and a USSD session of the real service (in-process).
 */
const ids = (text: string): string[] =>
  [...text.matchAll(/(?:^|\s)(\d\.\d{1,2})(?=\s|$|:)/gm)].map((m) => m[1]!);

describe('search through every channel of the real service', () => {
  let harness: SmsHarness;
  beforeAll(async () => {
    harness = await startSmsHarness({ API_RATE_LIMIT_PER_MINUTE: '100000' });
  });
  afterAll(() => harness.stop());

  const api = async (
    q: string,
  ): Promise<{ verdict: string; ids: string[]; body: Record<string, unknown> }> => {
    const res = await fetch(`${harness.baseUrl}/api/search?q=${encodeURIComponent(q)}`);
    const body = (await res.json()) as { verdict: string; results: Array<{ id: string }> };
    return { verdict: body.verdict, ids: body.results.map((r) => r.id), body };
  };

  // Each search from its own number: a language said by one (English) would stick to the next.
  let phones = 0;
  const sms = async (q: string): Promise<string> => {
    const before = (await harness.outbox()).length;
    await harness.incoming(q, { from: `+2237100${String(++phones).padStart(4, '0')}` });
    const after = await harness.outbox();
    return after
      .slice(before)
      .map((e) => e.text)
      .join('\n');
  };

  const ussd = async (q: string): Promise<string> => {
    const session = new AtSession(harness.baseUrl);
    await session.dial();
    await session.type('2');
    return (await session.type(q)).screen;
  };

  it.each(['eau 2', 'femmes 5', 'réouverture des écoles', 'women participation', 'transhumance'])(
    'when %j is searched on the API, by SMS and on USSD, then the first result is the same',
    async (q) => {
      const fromApi = await api(q);
      expect(fromApi.ids.length, q).toBeGreaterThan(0);
      const first = fromApi.ids[0]!;
      const smsIds = ids(await sms(q));
      expect(smsIds[0], `sms ${q}`).toBe(first);
      const ussdIds = ids(await ussd(q));
      expect(ussdIds[0], `ussd ${q}`).toBe(first);
    },
  );

  it('when a subject the report never names is searched, then the API flags it and SMS says so honestly', async () => {
    const fromApi = await api('Wagner');
    expect(fromApi.ids).toEqual([]);
    expect(fromApi.body.notInReport).toBe(true);
    const text = await sms('Wagner');
    expect(text).toMatch(/ne parle pas de "Wagner"/i);
    expect(ids(text)).toEqual([]);
  });

  it('when a topic word is searched, then the API names the theme it points to and SMS offers it', async () => {
    const fromApi = await api('insécurité');
    expect(fromApi.body.theme).toBe(4);
    expect(await sms('insécurité')).toMatch(/Thème 4 en entier : envoyez 4/);
  });

  it('when "merci" is sent by SMS, then one short kind reply comes back in a single segment', async () => {
    const before = (await harness.outbox()).length;
    await harness.incoming('merci');
    const sent = (await harness.outbox()).slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.segments).toBe(1);
    expect(sent[0]!.text).toMatch(/300 recommandations/);
  });

  it('when "ok merci bcp 🙏" is sent by SMS, then it gets the same kind reply, not "nothing found"', async () => {
    const text = await sms('ok merci bcp 🙏');
    expect(text).toMatch(/300 recommandations/);
    expect(text).not.toMatch(/ne parle pas de/);
    expect(ids(text)).toEqual([]);
  });
});

describe('search answers on USSD (menu model, real service)', () => {
  let harness: SmsHarness;
  beforeAll(async () => {
    harness = await startSmsHarness({});
  });
  afterAll(() => harness.stop());

  const fr = (key: Parameters<typeof t>[1], params?: Record<string, string | number>) =>
    toGsm7(t('fr', key, params));
  const searched = async (q: string) => {
    const session = new AtSession(harness.baseUrl);
    await session.dial();
    await session.type('2');
    return { session, answer: await session.type(q) };
  };

  it('when the words only match loosely, then the list is titled "Résultats proches"', async () => {
    const { answer } = await searched('la justice est lente');
    expect(answer.lines[0]).toMatch(/^R.sultats proches \(1\/\d\)$/);
    expect(ids(answer.screen).length).toBeGreaterThan(0);
  });

  it('when the words match exactly, then the title is the plain results title', async () => {
    const { answer } = await searched('eau');
    expect(answer.lines[0]).toMatch(/^R.sultats \(1\/\d\)$/);
  });

  it('when a topic word is searched, then a "voir le thème 4" row after the hits opens theme 4', async () => {
    const { session, answer } = await searched('insécurité');
    const hits = ids(answer.screen).length;
    let screen = answer;
    const row = (text: string) =>
      text.split('\n').find((line) => line.endsWith(fr('ussd.results.theme', { theme: 4 })));
    // The row follows the hits, possibly on a later page.
    for (let page = 0; page < 3 && !row(screen.screen); page += 1) screen = await session.type('98');
    const line = row(screen.screen);
    expect(line, screen.screen).toBeDefined();
    const key = line!.split(' ')[0]!;
    expect(Number(key)).toBeGreaterThan(hits);
    const theme = await session.type(key);
    expect(theme.lines[0]).toMatch(/^S.curit. et d.fense \(1\/\d+\)$/);
  });

  it('when a subject the report never names is searched, then the prompt says so and nothing is listed', async () => {
    const { answer } = await searched('prix du riz');
    expect(answer.end).toBe(false);
    expect(answer.lines[0]).toBe(fr('ussd.hint.notInReport'));
    expect(answer.lines[1]).toBe(fr('ussd.search.prompt'));
  });

  it('when "merci" is typed at the search prompt, then a kind hint says what to type', async () => {
    const { answer } = await searched('merci');
    expect(answer.lines[0]).toBe(fr('ussd.hint.smallTalk'));
    expect(answer.lines[1]).toBe(fr('ussd.search.prompt'));
  });
});

describe('the short search replies fit one SMS', () => {
  it('when small talk or "not in the report" is rendered with a 30-character echo, then it is one GSM-7 segment in both languages', async () => {
    const { t } = await import('../src/i18n/index.js');
    const { gsm7Length, isGsm7, toGsm7 } = await import('../src/text/gsm7.js');
    for (const lang of ['fr', 'en'] as const) {
      for (const key of [
        'search.notInReport',
        'smallTalk.reply',
        'search.closeTitle',
        'search.themeOffer',
      ] as const) {
        const text = toGsm7(t(lang, key, { query: 'x'.repeat(30), theme: 4 }));
        expect(isGsm7(text)).toBe(true);
        expect(gsm7Length(text), `${lang} ${key}`).toBeLessThanOrEqual(160);
      }
    }
  });
});
