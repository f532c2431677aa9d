import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus } from '../src/content/load.js';
import { t } from '../src/i18n/index.js';
import { toGsm7 } from '../src/text/gsm7.js';
import { startService, type RunningService } from './support/service.js';
import {
  atHop,
  atPost,
  AtSession,
  freshPhone,
  navLines,
  newSessionId,
  recBody,
  recHeader,
  squash,
} from './support/ussd.js';

/** Scripted sessions over real HTTP (Africa's Talking dialect), one person at a time. */

const corpus = loadCorpus('content/recommendations.json');
const fr = (key: Parameters<typeof t>[1], params: Record<string, string | number> = {}) =>
  toGsm7(t('fr', key, params));
const en = (key: Parameters<typeof t>[1], params: Record<string, string | number> = {}) =>
  toGsm7(t('en', key, params));
const nav = navLines('fr');

describe('USSD sessions (Africa\u2019s Talking dialect, real HTTP)', () => {
  let running: RunningService;
  let base: string;
  beforeAll(async () => {
    running = await startService();
    base = running.baseUrl;
  });
  afterAll(() => running.close());
  const session = () => new AtSession(base);

  it('when a person dials, then the French main menu offers themes, search, number, about and language', async () => {
    const answer = await session().dial();
    expect(answer.status).toBe(200);
    expect(answer.contentType).toMatch(/^text\/plain/);
    expect(answer.body.startsWith('CON ')).toBe(true);
    expect(answer.lines).toEqual([
      fr('ussd.home.title'),
      `1 ${fr('ussd.home.themes')}`,
      `2 ${fr('ussd.home.search')}`,
      `3 ${fr('ussd.home.number')}`,
      `4 ${fr('ussd.home.about')}`,
      `5 ${fr('ussd.home.language')}`,
      `0 ${fr('ussd.home.quit')}`,
    ]);
  });

  it('when a person browses theme 2, pages its list, opens 2.15 and goes back, then they land on the list page they left', async () => {
    const s = session();
    await s.dial();
    const themes = await s.type('1');
    expect(themes.lines).toContain(`2 ${toGsm7(corpus.themes[1]!.short)}`);
    const list1 = await s.type('2');
    expect(list1.lines[0]).toMatch(/^Politique, institutions \(1\/\d+\)$/);
    expect(list1.lines).toContain(toGsm7(t('fr', 'ussd.theme.type', { count: 51 })));
    expect(list1.lines).toContain(nav.more);
    const list2 = await s.type('98');
    expect(list2.lines[0]).toMatch(/^Politique, institutions \(2\/\d+\)$/);
    const shownNumber = /^(\d+) /.exec(list2.lines[1]!)![1]!;
    const rec = await s.type(shownNumber);
    expect(recHeader(rec.lines[0])?.id).toBe(`2.${shownNumber}`);
    const back = await s.type('0');
    expect(back.screen).toBe(list2.screen);
    const back2 = await s.type('0');
    expect(back2.screen).toBe(list1.screen);
  });

  it('when 4.80 is read page by page, then the pages hold its text and every item, and the last page offers no more', async () => {
    const s = session();
    let answer = await s.dial('3', '480');
    const pages: string[] = [];
    for (let guard = 0; guard < 30; guard += 1) {
      const header = recHeader(answer.lines[0]);
      expect(header?.id).toBe('4.80');
      pages.push(recBody(answer.lines, 'fr'));
      if (!answer.lines.includes(nav.more)) break;
      answer = await s.type('98');
    }
    expect(recHeader(answer.lines[0])).toMatchObject({ page: pages.length, pages: pages.length });
    expect(pages.length).toBeGreaterThan(3);
    const rec = corpus.recommendations.find((r) => r.id === '4.80')!;
    // The report's text, then each item under its bullet, nothing lost or cut.
    expect(squash(pages.join(' '))).toBe(
      squash(toGsm7([rec.text, ...rec.items!.map((item) => `- ${item}`)].join('\n'))),
    );
    const more = await s.type('98');
    expect(more.lines[0]).toBe(nav.invalid);
    expect(more.end).toBe(false);
  });

  it('when a word is searched, then numbered matches come back and a number opens that recommendation', async () => {
    const s = session();
    await s.dial('2');
    const results = await s.type('eau');
    expect(results.lines[0]).toMatch(/^Résultats \(1\/\d+\)$/);
    const first = /^1 (\d\.\d+) /.exec(results.lines[1]!);
    expect(first).not.toBeNull();
    const answer = running.service.engine.answer('eau');
    expect(first![1]).toBe(
      answer.kind === 'searchResults'
        ? answer.hits[0]!.recommendation.id
        : answer.kind === 'recommendation'
          ? answer.recommendation.id
          : '',
    );
    const rec = await s.type('1');
    expect(recHeader(rec.lines[0])?.id).toBe(first![1]);
  });

  it('when words are searched on USSD, then the results are the engine\u2019s answer to the same words, as SMS and Telegram get it', async () => {
    const { engine } = running.service;
    for (const query of ['eau 2', 'femmes 5', 'eau', 'route Kidal', 'jeunes emploi', 'securite']) {
      const answer = engine.answer(query);
      const expected =
        answer.kind === 'recommendation'
          ? [answer.recommendation.id]
          : answer.kind === 'searchResults'
            ? answer.hits.map((hit) => hit.recommendation.id)
            : [];
      if (query === 'eau 2' || query === 'femmes 5') expect(expected.length, query).toBeGreaterThan(0);
      const s = session();
      await s.dial('2');
      let screen = await s.type(query);
      if (expected.length === 0) {
        expect(screen.lines[0], query).toContain(fr('ussd.hint.none'));
        continue;
      }
      const listed: string[] = [];
      for (let guard = 0; guard < 10; guard += 1) {
        for (const line of screen.lines) {
          const hit = /^\d+ (\d\.\d+)\b/.exec(line);
          if (hit) listed.push(hit[1]!);
        }
        if (!screen.lines.includes(nav.more)) break;
        screen = await s.type('98');
      }
      expect(listed, query).toEqual(expected);
    }
  });

  it('when a sentence naming a recommendation is typed at the search prompt, then it opens, as by SMS', async () => {
    for (const [typed, id] of [
      ['je veux lire la recommandation 2.15 svp', '2.15'],
      ['recommandation 41 du thème 1', '1.41'],
      ['suivi de la 2.10', '2.10'],
    ] as const) {
      const s = session();
      await s.dial('2');
      const answer = await s.type(typed);
      expect(recHeader(answer.lines[0])?.id, typed).toBe(id);
    }
  });

  it('when a search finds nothing, then the prompt is redrawn with a one-line hint and the session goes on', async () => {
    const s = session();
    await s.dial('2');
    const none = await s.type('qqqzzzxw');
    expect(none.end).toBe(false);
    // Nothing matched and nothing to correct: "nothing found", never a claim that the report lacks it.
    expect(none.lines[0]).toContain(fr('ussd.hint.none'));
    expect(none.lines[1]).toBe(fr('ussd.search.prompt'));
    // A subject the lexicon knows to be absent is said to be absent.
    const s2 = session();
    await s2.dial('2');
    expect((await s2.type('wagner')).lines[0]).toContain(fr('ussd.hint.notInReport'));
  });

  it('when 215 is typed after "by number", or the theme and then the number, then 2.15 opens', async () => {
    const one = session();
    await one.dial();
    await one.type('3');
    expect(recHeader((await one.type('215')).lines[0])?.id).toBe('2.15');
    const two = session();
    await two.dial('3');
    const inTheme = await two.type('2');
    expect(inTheme.lines[1]).toBe(fr('ussd.numberIn.prompt', { theme: 2, count: 51 }));
    expect(recHeader((await two.type('15')).lines[0])?.id).toBe('2.15');
  });

  it('when the dial string carries 3*215, then the first screen is recommendation 2.15', async () => {
    const answer = await session().dial('3', '215');
    expect(recHeader(answer.lines[0])?.id).toBe('2.15');
    expect(answer.screen).toContain(toGsm7('Instituer les rencontres citoyennes'));
  });

  it('when each of the 300 numbers is asked, then it opens in at most three inputs after dialling', async () => {
    const missed: string[] = [];
    for (const rec of corpus.recommendations) {
      const inputs = ['3', `${rec.theme}${rec.number}`];
      const answer = await session().dial(...inputs);
      if (recHeader(answer.lines[0])?.id !== rec.id || inputs.length > 3) missed.push(rec.id);
    }
    expect(missed).toEqual([]);
  });

  it('when numbers are out of range, then the screen is redrawn with the valid range', async () => {
    const s = session();
    await s.dial('3');
    expect((await s.type('299')).lines[0]).toBe(fr('ussd.hint.recRange', { theme: 2, number: 99, max: 51 }));
    expect((await s.type('9')).lines[0]).toBe(fr('ussd.hint.themeRange'));
    await s.type('4');
    expect((await s.type('82')).lines[0]).toBe(fr('ussd.hint.recRange', { theme: 4, number: 82, max: 81 }));
  });

  it('when a letter, an out-of-range choice or an empty reply is typed on a menu, then the same menu is redrawn with a hint', async () => {
    const s = session();
    const home = await s.dial();
    for (const typo of ['x', '7', '', '😀¤', '1.5.6']) {
      const answer = await s.type(typo);
      expect(answer.end).toBe(false);
      expect(answer.lines[0]).toBe(nav.invalid);
      expect(answer.lines.slice(1)).toEqual(home.lines.slice(1));
    }
    expect((await s.type('1')).lines[0]).toBe(fr('ussd.themes.title'));
  });

  it('when 00 is typed deep in the menus, then home comes back; 0 on home ends the session politely', async () => {
    const s = session();
    await s.dial('1', '4', '98', '98');
    const home = await s.type('00');
    expect(home.lines[0]).toBe(fr('ussd.home.title'));
    const bye = await s.type('0');
    expect(bye.end).toBe(true);
    expect(bye.screen).toBe(fr('ussd.bye'));
  });

  it('when English is chosen, then the menus turn English and the next session of that phone starts in English', async () => {
    const s = session();
    await s.dial('5');
    const english = await s.type('3');
    expect(english.lines[0]).toBe(en('ussd.home.title'));
    const later = await new AtSession(base, s.phone).dial();
    expect(later.lines[0]).toBe(en('ussd.home.title'));
    expect(later.lines).toContain(`0 ${en('ussd.home.quit')}`);
    const other = await session().dial();
    expect(other.lines[0]).toBe(fr('ussd.home.title'));
  });

  it('when a session drops while reading and the phone dials again, then the first screen offers to resume there', async () => {
    const first = session();
    await first.dial('1', '2');
    const reading = await first.type('15');
    expect(await first.ended('Incomplete')).toBe(200);
    const again = new AtSession(base, first.phone);
    const home = await again.dial();
    expect(home.lines).toContain(`6 ${fr('ussd.home.resume')}`);
    const resumed = await again.type('6');
    expect(resumed.screen).toBe(reading.screen);
    expect((await again.type('0')).lines[0]).toMatch(/^Politique, institutions \(1\//);
  });

  it('when a session ended normally, then the next dial offers no resume; nor does a dial string with extras', async () => {
    const first = session();
    await first.dial('1', '2', '15');
    expect(await first.ended('Success')).toBe(200);
    const home = await new AtSession(base, first.phone).dial();
    expect(home.lines.some((line) => line.startsWith('6 '))).toBe(false);

    const dropped = session();
    await dropped.dial('1', '3');
    await dropped.ended('Failed');
    const direct = await new AtSession(base, dropped.phone).dial('3', '101');
    expect(recHeader(direct.lines[0])?.id).toBe('1.1');
  });

  it('when a session id comes from another phone, then a clean END apology and nothing of the session is shown', async () => {
    const owner = session();
    const before = await owner.dial('3', '215');
    const intruder = await atHop(base, { sessionId: owner.sessionId, phone: freshPhone(), text: '3*215*0' });
    expect(intruder.status).toBe(200);
    expect(intruder.end).toBe(true);
    expect(intruder.screen).toBe(fr('ussd.error.session'));
    // The owner's session is untouched by the attempt.
    expect((await owner.send()).screen).toBe(before.screen);
    expect(intruder.screen).not.toContain(toGsm7('Instituer'));
  });

  it('when the gateway retries a hop, then the same screen comes back and the input is not applied twice', async () => {
    const s = session();
    await s.dial('1', '2');
    const once = await s.type('98');
    const retried = await s.send();
    expect(retried.screen).toBe(once.screen);
  });

  it('when "send by SMS" is chosen on a recommendation, then the screen says what became of the SMS', async () => {
    const s = session();
    const rec = await s.dial('3', '215');
    expect(rec.lines).toContain(nav.sms);
    const answer = await s.type('9');
    const outcomes = (['sent', 'pending', 'optedOut', 'failed'] as const).map((o) =>
      fr(`ussd.sms.${o}`, { id: '2.15' }),
    );
    expect(outcomes).toContain(answer.lines[1]);
    expect((await s.type('0')).screen).toBe(rec.screen);
  });

  it('when "your opinion" is chosen on a recommendation, then 1 useful / 2 not clear is offered, a choice thanks, and back returns to the text', async () => {
    const s = session();
    const rec = await s.dial('3', '215');
    expect(rec.lines).toContain(nav.feedback);
    const question = await s.type('8');
    expect(question.lines[0]).toBe(fr('ussd.feedback.title', { id: '2.15' }));
    expect(question.lines).toContain(toGsm7(`1 ${t('fr', 'ussd.feedback.useful')}`));
    expect(question.lines).toContain(toGsm7(`2 ${t('fr', 'ussd.feedback.unclear')}`));
    const thanks = await s.type('2');
    expect(thanks.lines).toContain(fr('ussd.feedback.thanks', { id: '2.15' }));
    expect((await s.type('0')).screen).toBe(rec.screen);
  });

  it('when hops are logged, then no phone number and no typed text appear in the logs', async () => {
    const s = new AtSession(base, '+22376543210');
    await s.dial('2', 'sécheresse');
    await s.ended('Incomplete');
    expect(running.logs.text).not.toMatch(/76543210/);
    expect(running.logs.text).not.toMatch(/sécheresse/);
  });
});

describe('USSD bad requests (Africa\u2019s Talking dialect)', () => {
  let running: RunningService;
  let base: string;
  beforeAll(async () => {
    running = await startService();
    base = running.baseUrl;
  });
  afterAll(() => running.close());
  const valid = () => ({
    sessionId: newSessionId(),
    phoneNumber: freshPhone(),
    serviceCode: '*384#',
    networkCode: '61001',
    text: '',
  });

  it('when the content type is JSON, then 400 with an END apology', async () => {
    const res = await fetch(`${base}/ussd`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(valid()),
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/^END /);
  });

  it('when the body is empty, then 400 and no crash', async () => {
    const res = await fetch(`${base}/ussd`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/^END /);
  });

  it.each(['sessionId', 'phoneNumber', 'text'])(
    'when %s is missing, then 400 with an END apology',
    async (field) => {
      const fields: Record<string, string> = valid();
      delete fields[field];
      const answer = await atPost(base, fields);
      expect(answer.status).toBe(400);
      expect(answer.body).toBe(`END ${fr('ussd.error.badRequest')}`);
    },
  );

  it('when the session id or phone is garbage, then 400', async () => {
    expect((await atPost(base, { ...valid(), sessionId: 'a*b c' })).status).toBe(400);
    expect((await atPost(base, { ...valid(), phoneNumber: 'not a phone' })).status).toBe(400);
  });

  it('when text is huge, then a clean END apology', async () => {
    const answer = await atPost(base, { ...valid(), text: '1*'.repeat(1500) });
    expect(answer.status).toBe(200);
    expect(answer.body).toBe(`END ${fr('ussd.error.tooLong')}`);
  });

  it('when the body is over the size or field limits, then a 4xx, never a 500', async () => {
    const big = await atPost(base, { ...valid(), text: 'x'.repeat(20_000) });
    expect(big.status).toBeGreaterThanOrEqual(400);
    expect(big.status).toBeLessThan(500);
    const fields: Record<string, string> = valid();
    for (let i = 0; i < 40; i += 1) fields[`f${i}`] = 'x';
    const many = await atPost(base, fields);
    expect(many.status).toBeGreaterThanOrEqual(400);
    expect(many.status).toBeLessThan(500);
  });

  it('when the events notification lacks fields, then 400; when it is whole, then 200', async () => {
    expect((await atPost(base, { sessionId: 'x' }, '/ussd/events')).status).toBe(400);
    const ok = await atPost(
      base,
      { sessionId: newSessionId(), phoneNumber: freshPhone(), status: 'Incomplete' },
      '/ussd/events',
    );
    expect(ok.status).toBe(200);
  });

  it('when many hops arrive at once, then every one is answered 200', async () => {
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        atHop(base, { sessionId: newSessionId(), phone: freshPhone(), text: i % 2 ? '1*3' : '2*route' }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(200));
  });
});
