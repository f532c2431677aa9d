import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerCommands } from '../adapters/telegram/commands.js';
import { installCatalogs } from '../src/i18n/index.js';
import { toGsm7 } from '../src/text/gsm7.js';
import { AtSession } from './support/ussd.js';
import {
  FAKE_CUE_WORD,
  FAKE_GREETING,
  FAKE_LANGUAGE_SET,
  FAKE_WORD_FOR_WATER,
  writeFakeLanguage,
} from './support/fake-language.js';
import { startSmsHarness, type SmsHarness } from './support/sms.js';
import { botHarness, buttonsOf, callback, sent, textMessage, textOf } from './support/telegram.js';

/**
 * "Adding a language is a catalog file and lexicon entries, nothing else": a fake third language
 * (xx, "Testish") is written to a temporary directory, the real service is started on it with
 * CATALOG_DIR and LEXICON_FILE, and the language shows up on every channel's language menu.
 */
let dir: string;
let sms: SmsHarness;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dim-lang-'));
  const { catalogDir, lexiconFile } = writeFakeLanguage(dir);
  sms = await startSmsHarness({ CATALOG_DIR: catalogDir, LEXICON_FILE: lexiconFile });
});
afterAll(async () => {
  await sms?.stop();
  installCatalogs();
  rmSync(dir, { recursive: true, force: true });
});

let phoneCounter = 0;
const newPhone = () => `+2237100${String(++phoneCounter).padStart(4, '0')}`;
async function repliesTo(phone: string, text: string) {
  const before = (await sms.outbox()).length;
  await sms.incoming(text, { from: phone });
  const box = await sms.outbox();
  return box.slice(before).filter((entry) => entry.to === sms.service.pseudonymize(phone));
}

describe('a third language from its catalog file and lexicon entries only', () => {
  it('when a person texts its keyword XX, then the SMS answers switch to it until FR', async () => {
    const phone = newPhone();
    expect((await repliesTo(phone, 'XX'))[0]!.text).toBe('Khaan: Testish.');
    expect((await repliesTo(phone, 'aide'))[0]!.text).toMatch(/^XX /);
    expect((await repliesTo(phone, 'FR'))[0]!.text).toBe(toGsm7('Langue : français.'));
  });

  it("when a person writes the language's own words, then the parser reads them from its catalog and the answers stay in it", async () => {
    const phone = newPhone();
    expect((await repliesTo(phone, FAKE_GREETING))[0]!.text).toMatch(/^XX Bonjour/);
    expect((await repliesTo(phone, '2.15'))[0]!.text).toMatch(/^XX Rapport, 2\.15/);
    expect((await repliesTo(newPhone(), 'xxhelp xxthe'))[0]!.text).toMatch(/^XX Envoyez un/);
  });

  it('when a person who never chose it writes its cue word or one of its letters, then the answer is in it', async () => {
    expect((await repliesTo(newPhone(), FAKE_CUE_WORD))[0]!.text).toMatch(/^XX /);
    expect((await repliesTo(newPhone(), 'ƙarfi'))[0]!.text).toMatch(/^XX /);
    // Without a cue, the same kind of unknown word is answered in French.
    expect((await repliesTo(newPhone(), 'xxnothing'))[0]!.text).not.toMatch(/^XX /);
  });

  it('when a person texts LANGUE, then the SMS lists every language with their keywords', async () => {
    const [reply] = await repliesTo(newPhone(), 'LANGUE');
    expect(reply!.text).toContain(toGsm7('FR (Français)'));
    expect(reply!.text).toContain('EN (English)');
    expect(reply!.text).toContain('XX (Testish)');
    expect(reply!.text).toContain('BM (Bamanankan)');
  });

  it('when a person searches with the language word the lexicon maps, then it finds what the French word finds, answered in that language', async () => {
    const [reply] = await repliesTo(newPhone(), FAKE_WORD_FOR_WATER);
    const [french] = await repliesTo(newPhone(), 'eau');
    const ids = (text: string) => text.match(/\b\d\.\d{1,2}\b/g);
    // The same results in the same order (its longer sentences may leave fewer on the first SMS).
    const mine = ids(reply!.text) ?? [];
    expect(mine.length).toBeGreaterThan(0);
    expect(ids(french!.text)?.slice(0, mine.length)).toEqual(mine);
    // Its lexicon section (`words.xx`) says the word is the language's: the answer is in it.
    expect(reply!.text).toMatch(/^XX /m);
    expect(french!.text).not.toMatch(/^XX /m);
  });

  it('when a person dials the USSD code and opens Langue, then the menu offers it and choosing it switches the screens', async () => {
    const session = new AtSession(sms.baseUrl, newPhone());
    await session.dial();
    const menu = await session.type('5');
    expect(menu.lines).toContain('4 Testish');
    const home = await session.type('4');
    expect(home.end).toBe(false);
    expect(home.screen).toMatch(/XX /);
  });

  it("when the simulator's page and data are asked, then the language is in its picker and the page reads in it", async () => {
    const config = (await (await fetch(`${sms.baseUrl}/simulator/config.json`)).json()) as {
      languages: Array<{ code: string; label: string }>;
      strings: Record<string, Record<string, string>>;
    };
    expect(config.languages.map((l) => [l.code, l.label])).toEqual([
      ['bm', 'Bamanankan'],
      ['fr', 'Français'],
      ['en', 'English'],
      ['xx', 'Testish'],
    ]);
    expect(config.strings['web.title']!.xx).toMatch(/^XX /);
    const html = await (await fetch(`${sms.baseUrl}/simulator?lang=xx`)).text();
    expect(html).toMatch(/<h1 data-i18n="web.title">XX /);
  });

  it('when a Telegram user has its locale, then the bot greets in it, and the chooser offers it', async () => {
    const h = botHarness();
    const [greeting] = sent(await h.send(textMessage('/start', { language_code: 'xx' })));
    expect(textOf(greeting)).toContain('XX Bonjour');
    const [chooser] = sent(await h.send(textMessage('/langue')));
    const labels = buttonsOf(chooser)
      .filter((b) => String(b.callback_data).startsWith('l:'))
      .map((b) => b.text);
    expect(labels).toEqual(['Bamanankan', 'Français', 'English', 'Testish']);
    const set = await h.send(callback('l:xx'));
    expect(textOf(set.find((c) => c.method === 'editMessageText'))).toContain(FAKE_LANGUAGE_SET);
    const [typed] = sent(await h.send(textMessage('aide', { language_code: 'fr' })));
    expect(textOf(typed)).toContain('XX Écrivez un numéro');
  });

  it("when the Telegram commands are registered, then the language's locale gets its menu", async () => {
    const h = botHarness();
    await registerCommands(h.bot.api, h.logger);
    const locales = h.calls
      .filter((c) => c.method === 'setMyCommands')
      .map((c) => (c.payload as { language_code?: string }).language_code);
    expect(locales).toEqual([undefined, 'bm', 'en', 'xx']);
  });
});

describe('a language with letters of its own, in UCS-2 from data and one setting', () => {
  let ucs2: SmsHarness;
  beforeAll(async () => {
    ucs2 = await startSmsHarness({
      CATALOG_DIR: join(dir, 'i18n'),
      LEXICON_FILE: join(dir, 'lexicon.json'),
      SMS_UCS2_LANGS: 'xx',
    });
  });
  afterAll(async () => {
    await ucs2?.stop();
    installCatalogs();
  });

  it('when SMS_UCS2_LANGS names it, then its SMS keep its letters in UCS-2 and French stays GSM-7', async () => {
    const phone = newPhone();
    const before = (await ucs2.outbox()).length;
    await ucs2.incoming('XX', { from: phone });
    await ucs2.incoming('FR', { from: phone });
    const [set, french] = (await ucs2.outbox()).slice(before);
    expect(set).toMatchObject({ text: FAKE_LANGUAGE_SET, encoding: 'UCS-2' });
    expect(french).toMatchObject({ text: toGsm7('Langue : français.'), encoding: 'GSM-7' });
  });
});
