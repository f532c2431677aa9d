import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus } from '../src/content/load.js';
import { gsm7Length, isGsm7 } from '../src/text/gsm7.js';
import { startService, type RunningService } from './support/service.js';
import { startSmsHarness, type SmsHarness } from './support/sms.js';
import { AtSession, atHop, freshPhone, newSessionId } from './support/ussd.js';

/**
 * Bambara on the phone channels, through the real service: the USSD menus reach all 300
 * recommendations in Bambara within the screen budget and in GSM-7; the SMS suite runs in
 * Bambara; drafts are counted on /readyz and can be switched off.
 */
const corpus = loadCorpus('content/recommendations.json');
const bmContent = JSON.parse(readFileSync('content/translations/bm.json', 'utf8')) as {
  recommendations: Record<string, { summary: string }>;
};
/** A letter, a '?', a letter: what a Bambara letter turned into '?' looks like ("s?n?"). */
const QUESTION_IN_WORD = /\p{L}\?\p{L}/u;

describe('the catalogs, key by key', () => {
  const fr = JSON.parse(readFileSync('content/i18n/fr.json', 'utf8')) as { messages: Record<string, string> };
  const catalogs = ['bm', 'en'].map((code) => ({
    code,
    messages: (
      JSON.parse(readFileSync(`content/i18n/${code}.json`, 'utf8')) as { messages: Record<string, string> }
    ).messages,
  }));
  const rows = Object.keys(fr.messages).flatMap((key) => catalogs.map(({ code }) => [code, key] as const));
  it.each(rows)('when French has a key, then %s has it too (%s)', (code, key) => {
    expect(catalogs.find((c) => c.code === code)!.messages[key]).toBeTruthy();
  });
});

describe('USSD in Bambara', () => {
  let running: RunningService;
  const phone = freshPhone();
  beforeAll(async () => {
    running = await startService();
  });
  afterAll(() => running?.close());

  it('when Bambara is picked, then it is first in the language menu and the menus turn Bambara', async () => {
    const session = new AtSession(running.baseUrl, phone);
    await session.dial();
    const menu = await session.type('5');
    expect(menu.lines.slice(1, 4)).toEqual(['1 Bamanankan', '2 Francais', '3 English']);
    const home = await session.type('1');
    expect(home.lines).toContain('1 Barokunw');
    expect(isGsm7(home.screen)).toBe(true);
  });

  it('when every recommendation is opened by number in Bambara, then all 300 show our summary, within 160 GSM-7 characters a screen', async () => {
    const reached = new Set<string>();
    const problems: string[] = [];
    const ids = corpus.recommendations.map((r) => r.id);
    for (let i = 0; i < ids.length; i += 12) {
      await Promise.all(
        ids.slice(i, i + 12).map(async (id) => {
          const typed = id.replace('.', '');
          const answer = await atHop(running.baseUrl, {
            sessionId: newSessionId(),
            phone,
            text: `3*${typed}`,
          });
          if (gsm7Length(answer.screen) > 160) problems.push(`${id} too long`);
          if (!isGsm7(answer.screen) || QUESTION_IN_WORD.test(answer.screen))
            problems.push(`${id} not GSM-7`);
          if (!answer.lines[0]?.startsWith(`Ladilikan ${id} (`)) problems.push(`${id}: ${answer.lines[0]}`);
          // The summary's first words, transliterated (ɛ→è, ɔ→ò, ɲ→ny, ŋ→ng).
          const start = bmContent.recommendations[id]!.summary.split(' ').slice(0, 2).join(' ');
          const shown = start.replace(/ɛ/g, 'è').replace(/ɔ/g, 'ò').replace(/ɲ/g, 'ny').replace(/ŋ/g, 'ng');
          if (
            !answer.screen
              .replace(/\n/g, ' ')
              .includes(shown.replace(/[ƐƆƝŊ]/g, (c) => ({ Ɛ: 'E', Ɔ: 'O', Ɲ: 'Ny', Ŋ: 'Ng' })[c]!))
          )
            problems.push(`${id}: summary not shown`);
          if (!answer.lines.includes('7 Laselisèbèn yèrè')) problems.push(`${id}: no report-text option`);
          reached.add(id);
        }),
      );
    }
    expect(problems).toEqual([]);
    expect(reached.size).toBe(300);
  });

  it("when the report-text option is chosen, then the report's French text shows", async () => {
    const answer = await atHop(running.baseUrl, { sessionId: newSessionId(), phone, text: '3*215*7' });
    expect(answer.screen).toContain('Instituer les rencontres citoyennes');
    expect(answer.lines).not.toContain('7 Laselisèbèn yèrè');
  });

  it('when the Bambara screens of every theme list are paged, then each is within budget and GSM-7', async () => {
    for (const theme of ['1', '2', '3', '4', '5']) {
      const session = new AtSession(running.baseUrl, phone);
      await session.dial();
      await session.type('1');
      let screen = await session.type(theme);
      for (let page = 0; page < 30 && !screen.end; page++) {
        expect(gsm7Length(screen.screen)).toBeLessThanOrEqual(160);
        expect(isGsm7(screen.screen)).toBe(true);
        expect(screen.screen).not.toMatch(QUESTION_IN_WORD);
        if (!screen.lines.some((line) => line.startsWith('98 '))) break;
        screen = await session.type('98');
      }
    }
  });
});

describe('SMS in Bambara', () => {
  let sms: SmsHarness;
  let counter = 0;
  const newPhone = () => `+2237300${String(++counter).padStart(4, '0')}`;
  beforeAll(async () => {
    sms = await startSmsHarness();
  });
  afterAll(() => sms?.stop());
  async function repliesTo(phone: string, text: string) {
    const before = (await sms.outbox()).length;
    await sms.incoming(text, { from: phone });
    const box = await sms.outbox();
    return box.slice(before).filter((entry) => entry.to === sms.service.pseudonymize(phone));
  }
  const textOf = async (phone: string, text: string) => {
    const replies = await repliesTo(phone, text);
    for (const reply of replies) {
      expect(isGsm7(reply.text)).toBe(true);
      expect(reply.text).not.toMatch(QUESTION_IN_WORD);
    }
    return replies.map((r) => r.text).join('\n');
  };

  it('when a person texts BM, then help, themes, a number, a search, SUITE, STOP/START and FR work in Bambara', async () => {
    const phone = newPhone();
    expect(await textOf(phone, 'BAMANAN')).toBe('Kan: bamanankan.');
    expect(await textOf(phone, 'AIDE')).toMatch(/^Nimòrò \(2\.15\)/);
    const themes = await textOf(phone, 'THEMES');
    expect(themes).toContain('T1 Hèrè ni bènnyini');
    const rec = await textOf(phone, '2.15');
    expect(rec).toContain('Ladilikan 2.15: kumasurun');
    expect(rec).toContain('An ka jèkulu ka kumasurun don, laselisèbèn kuma tè.');
    expect(rec).toContain('TEXTE 2.15 ci ka laselisèbèn yèrè sòrò');
    const text = await textOf(phone, 'TEXTE 2.15');
    expect(text).toContain('Instituer les rencontres citoyennes');
    const search = await textOf(phone, 'musow');
    expect(search.length).toBeGreaterThan(0);
    const theme = await textOf(phone, 'T4');
    expect(theme).toContain('Barokun 4');
    // T4 is one SMS (size, how to read): SUITE then brings its list, page by page (issue 16).
    const more = await textOf(phone, 'SUITE');
    expect(more).toMatch(/\(1\/\d+\)/);
    expect(more).toContain('4.1 ');
    expect(await textOf(phone, 'STOP')).toBe('I tèna cikan si sòrò tun. START ci ka segin.');
    expect(await textOf(phone, 'START')).toMatch(/^A sèbènna/);
    expect(await textOf(phone, 'FR')).toBe('Langue : francais.');
  });

  it('when a reader writes in Bambara, then the conversation goes on in Bambara until FR', async () => {
    const phone = newPhone();
    const reply = await textOf(phone, 'dɛmɛ');
    expect(reply).toMatch(/^Nimòrò \(2\.15\)/);
    // The Bambara help says to send AIDE: sending it is no sign of French.
    expect(await textOf(phone, 'AIDE')).toMatch(/^Nimòrò \(2\.15\)/);
    expect(await textOf(phone, 'FR')).toBe('Langue : francais.');
    expect(await textOf(phone, 'AIDE')).toMatch(/^Tapez|^Envoyez/);
  });
});

describe('Bambara SMS in UCS-2, drafts off, and /readyz', () => {
  it.each([
    ['SMS_UCS2_LANGS=bm', { SMS_UCS2_LANGS: 'bm' }],
    ['the deprecated SMS_BAMBARA_ENCODING=ucs2', { SMS_BAMBARA_ENCODING: 'ucs2' }],
  ])('when %s, then the official letters go out and the pages are UCS-2', async (_name, env) => {
    const sms = await startSmsHarness(env);
    try {
      const phone = '+22374000001';
      await sms.incoming('BM', { from: phone });
      await sms.incoming('2.15', { from: phone });
      const box = (await sms.outbox()).filter((e) => e.to === sms.service.pseudonymize(phone));
      const rec = box.at(-1)!;
      expect(rec.text).toContain('kumasurun');
      expect(rec.encoding).toBe('UCS-2');
      expect(rec.segments).toBeLessThanOrEqual(2);
    } finally {
      await sms.stop();
    }
  });

  it('when SMS_UCS2_LANGS=bm and a search needs several SMS, then each page holds whole rows, the first a result, at most one GSM-7 or two UCS-2 segments', async () => {
    const sms = await startSmsHarness({ SMS_UCS2_LANGS: 'bm' });
    try {
      const phone = '+22374000003';
      await sms.incoming('BM', { from: phone });
      await sms.incoming('musow', { from: phone });
      const to = sms.service.pseudonymize(phone);
      const pages = [(await sms.outbox()).filter((e) => e.to === to).at(-1)!];
      const total = Number(/^\(1\/(\d+)\)/.exec(pages[0]!.text)?.[1]);
      expect(total).toBeGreaterThan(1);
      for (let page = 2; page <= total; page++) {
        await sms.incoming('SUITE', { from: phone });
        pages.push((await sms.outbox()).filter((e) => e.to === to).at(-1)!);
      }
      expect(pages[0]!.text).toMatch(/\n\d\.\d+ \S/);
      for (const [i, page] of pages.entries()) {
        expect(page.segments, page.text).toBeLessThanOrEqual(page.encoding === 'GSM-7' ? 1 : 2);
        // A row cut in two would start the next page with the end of a label.
        if (i > 0) expect(page.text, page.text).toMatch(new RegExp(`^\\(${i + 1}/${total}\\) \\d\\.\\d+ `));
      }
    } finally {
      await sms.stop();
    }
  });

  it('when drafts are served, then /readyz counts them per language', async () => {
    const running = await startService();
    try {
      const body = (await (await fetch(`${running.baseUrl}/readyz`)).json()) as {
        translations: {
          serveDrafts: boolean;
          drafts: Record<string, { content: { draft: number; total: number } }>;
        };
      };
      expect(body.translations.serveDrafts).toBe(true);
      expect(body.translations.drafts.bm!.content).toEqual({ draft: 305, total: 305 });
      expect(body.translations.drafts.en!.content.total).toBe(305);
      expect(running.logs.text).toContain('translations loaded');
    } finally {
      await running.close();
    }
  });

  it('when SERVE_DRAFT_TRANSLATIONS=off, then a Bambara reader gets French labels and the report text, and /readyz says so', async () => {
    const sms = await startSmsHarness({ SERVE_DRAFT_TRANSLATIONS: 'off' });
    try {
      const phone = '+22374000002';
      await sms.incoming('BM', { from: phone });
      await sms.incoming('2.15', { from: phone });
      await sms.incoming('THEMES', { from: phone });
      const box = (await sms.outbox()).filter((e) => e.to === sms.service.pseudonymize(phone));
      expect(box.at(-2)!.text).toContain('Instituer les rencontres citoyennes');
      expect(box.at(-1)!.text).toContain('T1 Paix et réconciliation');
      const body = (await (await fetch(`${sms.baseUrl}/readyz`)).json()) as {
        translations: { serveDrafts: boolean };
      };
      expect(body.translations.serveDrafts).toBe(false);
    } finally {
      await sms.stop();
    }
  });
});
