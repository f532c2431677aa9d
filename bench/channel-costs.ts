/**
 * What the channels cost and how they read, in French, English and Bambara (issue 30). Prints a
 * markdown table; every figure comes from the real service in-process (SMS and USSD over HTTP,
 * WhatsApp against a fake Graph API, Telegram through grammY with the Bot API answered locally),
 * with the served translations, so the same script runs on any commit of the repository:
 *
 *   npx tsx bench/channel-costs.ts
 *
 * - SMS: a fixed conversation script per language (below), written as people write; each SMS
 *   sent back is counted by its GSM-7 segments.
 * - Telegram: every button of the theme lists (every page of the five themes) and of the result
 *   lists of the script's searches; a button is cut when its label ends with "…".
 * - USSD: every recommendation opened by number and paged to its end, in each language; a break
 *   between two screens splits a word when the last word of a screen or the first of the next is
 *   no whole word of the text, when a hyphen ends the screen ("Farakala-" | "Lobougoula-fourou"),
 *   or when it falls inside a parenthesis of two words ("(B" | "FASO)"). Theme list labels cut
 *   inside a word ("Rencontres intergénérationn..") are counted too.
 * - French in English and Bambara: every reply above (and the WhatsApp script's) goes through
 *   test/support/french-leaks.ts, which knows French from the French catalog, theme names, labels
 *   and summary, and leaves the report's own words aside.
 */
import { readFileSync } from 'node:fs';
import type { Update } from 'grammy/types';
import { installTranslations } from '../src/content/localized.js';
import { loadCorpus } from '../src/content/load.js';
import { languageMenu, t } from '../src/i18n/index.js';
import { toGsm7 } from '../src/text/gsm7.js';
import { recSummary } from '../src/content/localized.js';
import { createFrenchDetector, type FrenchLeak } from '../test/support/french-leaks.js';
import { startSmsHarness } from '../test/support/sms.js';
import { botHarness, buttonsOf, USER, type ApiCall } from '../test/support/telegram.js';
import { atHop, newSessionId } from '../test/support/ussd.js';
import {
  buttonReply,
  listReply,
  notification,
  startWhatsAppService,
  text as waText,
} from '../test/support/whatsapp.js';

type Lang = 'fr' | 'en' | 'bm';
const LANGS: Lang[] = ['fr', 'en', 'bm'];

/** The SMS script: what a person sends, one message after the other, per language. */
const SMS_SCRIPT: Record<Lang, string[]> = {
  fr: [
    'Bonjour',
    'AIDE',
    'THEMES',
    'T2',
    'SUITE',
    '2.15',
    'SUITE',
    'eau potable',
    '2',
    'femmes',
    'SUITE',
    'INFO',
    'xqzw',
    '300',
    '6.2',
    'la meteo',
    'merci',
    'ok',
    'TEXTE 2.15',
    'SUIVI 2.10',
    'la suivante',
    'APPEL',
  ],
  en: [
    'EN',
    'hello',
    'help',
    'themes',
    't4',
    'next',
    '4.12',
    'water',
    '1',
    'women',
    'next',
    'about',
    'xqzw',
    '300',
    '9.1',
    'the weather',
    'thanks',
    'ok',
    'text 2.15',
    'is 2.10 done',
    'next one',
    'call me',
  ],
  bm: [
    'BM',
    'i ni ce',
    'dɛmɛ',
    'barokunw',
    't3',
    'a tɔ',
    '3.10',
    'ji',
    '1',
    'musow',
    'a tɔ',
    'kunnafoni',
    'xqzw',
    '300',
    '7.3',
    'sanji',
    'i ni baara',
    'ɔwɔ',
    'TEXTE 2.15',
    '2.10 kɛra wa',
    'a nɔfɛta',
    'APPEL',
  ],
};

/** Small talk and commands in each language's own words (a French word would switch the chat). */
const TALK: Record<Lang, string[]> = {
  fr: ['/aide', '/apropos', 'merci', 'bonjour'],
  en: ['/help', '/about', 'thanks', 'hello'],
  bm: ['dɛmɛ', 'kunnafoni', 'i ni baara', 'i ni ce'],
};

/** Searches whose result lists Telegram and WhatsApp show (the script's, and a few more). */
const SEARCHES: Record<Lang, string[]> = {
  fr: ['eau potable', 'femmes', 'jeunes', 'école', 'route Kidal', 'sécurité'],
  en: ['water', 'women', 'youth', 'school', 'roads', 'security'],
  bm: ['ji', 'musow', 'denmisɛnw', 'lakɔli', 'sira', 'lakana'],
};

const detector = createFrenchDetector();
const leaks: Array<FrenchLeak & { channel: string; lang: Lang }> = [];
const scan = (channel: string, lang: Lang, text: string) => {
  for (const leak of detector.find(text, lang)) leaks.push({ ...leak, channel, lang });
};

const pct = (n: number, d: number) => (d === 0 ? 'n/a' : `${((100 * n) / d).toFixed(1)} %`);

async function sms(): Promise<Record<Lang, { sms: number; one: number }>> {
  const harness = await startSmsHarness();
  installTranslations('content/translations', harness.service.engine.corpus, true);
  const out = {} as Record<Lang, { sms: number; one: number }>;
  try {
    let n = 0;
    for (const lang of LANGS) {
      const phone = `+2237600${String(++n).padStart(4, '0')}`;
      const me = harness.service.pseudonymize(phone);
      let seen = 0;
      const counts = { sms: 0, one: 0 };
      for (const message of SMS_SCRIPT[lang]) {
        await harness.incoming(message, { from: phone });
        const mine = (await harness.outbox()).filter((entry) => entry.to === me);
        for (const entry of mine.slice(seen)) {
          counts.sms++;
          if (entry.segments === 1) counts.one++;
          scan('sms', lang, entry.text);
        }
        seen = mine.length;
      }
      out[lang] = counts;
    }
  } finally {
    await harness.stop();
  }
  return out;
}

interface UssdFigures {
  recs: number;
  screens: number;
  breaks: number;
  split: number;
  examples: string[];
  labels: number;
  labelsCutInWord: number;
}

async function ussd(): Promise<Record<Lang, UssdFigures>> {
  const harness = await startSmsHarness();
  const corpus = loadCorpus('content/recommendations.json');
  installTranslations('content/translations', corpus, true);
  const out = {} as Record<Lang, UssdFigures>;
  const position = (lang: Lang) => String(languageMenu().find((entry) => entry.code === lang)!.position);
  try {
    let n = 0;
    for (const lang of LANGS) {
      const phone = `+2237700${String(++n).padStart(4, '0')}`;
      const figures: UssdFigures = {
        recs: 0,
        screens: 0,
        breaks: 0,
        split: 0,
        examples: [],
        labels: 0,
        labelsCutInWord: 0,
      };
      // The language is chosen once (kept for the number); each walk is a fresh session after.
      await atHop(harness.baseUrl, { sessionId: newSessionId(), phone, text: `5*${position(lang)}` });
      const walk = async (inputs: string[]) => {
        const screens: string[] = [];
        const sessionId = newSessionId();
        const path = [...inputs];
        for (let i = 0; i < 80; i++) {
          const answer = await atHop(harness.baseUrl, { sessionId, phone, text: path.join('*') });
          screens.push(answer.screen);
          if (answer.end || !answer.lines.some((line) => /^98 /.test(line))) break;
          path.push('98');
        }
        return screens;
      };
      for (const rec of corpus.recommendations) {
        const screens = await walk(['3', rec.id.replace('.', '')]);
        figures.recs++;
        figures.screens += screens.length;
        for (const screen of screens) scan('ussd', lang, screen);
        const source = [recSummary(rec, lang), t(lang, 'summary.ours'), rec.text, ...(rec.items ?? [])]
          .filter((part): part is string => part !== undefined)
          .join('\n');
        const words = new Set(toGsm7(source).split(/\s+/).filter(Boolean));
        const bodies = screens.map(bodyOf);
        for (let i = 0; i + 1 < bodies.length; i++) {
          const last = bodies[i]!.split(/\s+/).filter(Boolean).at(-1) ?? '';
          const first = bodies[i + 1]!.split(/\s+/).filter(Boolean)[0] ?? '';
          figures.breaks++;
          const cut = (word: string) => word.replace(/^[-•]$/, '') !== '' && !words.has(word);
          const hyphen = /[A-Za-zÀ-ÿ]-$/.test(last);
          const paren = /^\([^)\s]{1,3}$/.test(last) && /^[^(\s]*\)/.test(first);
          if (cut(last) || cut(first) || hyphen || paren) {
            figures.split++;
            if (figures.examples.length < 3) figures.examples.push(`${rec.id}: "${last}" | "${first}"`);
          }
        }
      }
      // The other screens: themes, About (every page), a search, a wrong number, the language menu.
      for (const inputs of [['1'], ['4'], ['2', SEARCHES[lang][0]!], ['3', '999'], ['5']])
        for (const screen of await walk(inputs)) scan('ussd', lang, screen);
      // Theme lists: every page of every theme.
      for (const theme of corpus.themes) {
        const labels = new Map(
          corpus.recommendations.filter((r) => r.theme === theme.number).map((r) => [String(r.number), r]),
        );
        for (const screen of await walk(['1', String(theme.number)])) {
          scan('ussd', lang, screen);
          for (const line of screen.split('\n')) {
            const m = /^(\d+) (.+)$/.exec(line);
            if (!m || m[1] === '98' || m[1] === '0' || !labels.has(m[1]!)) continue;
            figures.labels++;
            const shown = m[2]!;
            if (!shown.endsWith('..')) continue;
            const kept = shown.slice(0, -2).trimEnd();
            const lastWord = kept.split(' ').at(-1) ?? '';
            // Cut inside a word: the kept part does not end where a word of the label ends.
            const labelWords = new Set(
              (screenLabels(labels.get(m[1]!)!.id, lang) ?? []).flatMap((label) => label.split(/\s+/)),
            );
            if (!labelWords.has(lastWord)) figures.labelsCutInWord++;
          }
        }
      }
      out[lang] = figures;
    }
  } finally {
    await harness.stop();
  }
  return out;
}

/** A recommendation's labels in GSM-7 as a screen may show them (ours in `lang`, and French's). */
function screenLabels(id: string, lang: Lang): string[] | undefined {
  const rec = corpusOnce().recommendations.find((r) => r.id === id);
  if (!rec) return undefined;
  return [toGsm7(labelOf(id, lang) ?? rec.label), toGsm7(rec.label)];
}

let corpusCache: ReturnType<typeof loadCorpus> | undefined;
const corpusOnce = () => (corpusCache ??= loadCorpus('content/recommendations.json'));
let translations: Record<string, { recommendations: Record<string, { label: string }> }> | undefined;
function labelOf(id: string, lang: Lang): string | undefined {
  if (lang === 'fr') return undefined;
  translations ??= Object.fromEntries(
    (['en', 'bm'] as const).map((code) => [
      code,
      JSON.parse(readFileSync(`content/translations/${code}.json`, 'utf8')) as {
        recommendations: Record<string, { label: string }>;
      },
    ]),
  );
  return translations[lang]?.recommendations[id]?.label;
}

/** The text of a recommendation screen: after its title, before the lines that start with a key. */
function bodyOf(screen: string): string {
  const lines = screen.split('\n').slice(1);
  while (lines.length > 0 && /^(\d{1,2}|\*|#) \S/.test(lines.at(-1)!)) lines.pop();
  return lines.join('\n');
}

async function telegram(): Promise<{ buttons: number; cut: number; examples: string[] }> {
  const h = botHarness();
  installTranslations('content/translations', h.engine.corpus, true);
  const figures = { buttons: 0, cut: 0, examples: [] as string[] };
  let updateId = 1;
  let next = 1000;
  const user = (lang: Lang) => ({ ...USER, id: USER.id + LANGS.indexOf(lang), language_code: lang });
  const chat = (lang: Lang) => ({ id: user(lang).id, type: 'private' as const, first_name: 'Awa' });
  const message = (lang: Lang, text: string): Update =>
    ({
      update_id: updateId++,
      message: {
        message_id: next++,
        date: 0,
        chat: chat(lang),
        from: user(lang),
        text,
        ...(text.startsWith('/')
          ? { entities: [{ type: 'bot_command', offset: 0, length: text.split(' ')[0]!.length }] }
          : {}),
      },
    }) as Update;
  const tap = (lang: Lang, data: string, on?: ApiCall): Update =>
    ({
      update_id: updateId++,
      callback_query: {
        id: `cb${next++}`,
        from: user(lang),
        chat_instance: 'ci',
        data,
        message: {
          message_id: 9000,
          date: 0,
          chat: chat(lang),
          text: String(on?.payload.text ?? 'list'),
          ...(on?.payload.reply_markup ? { reply_markup: on.payload.reply_markup } : {}),
        },
      },
    }) as Update;
  const record = (lang: Lang, calls: ApiCall[], countButtons: boolean) => {
    for (const call of calls) {
      if (call.payload.text) scan('telegram', lang, String(call.payload.text).replace(/<[^>]+>/g, ''));
      for (const button of buttonsOf(call)) {
        const label = String(button.text);
        scan('telegram', lang, label);
        // List entries open a recommendation (r:...); those are the buttons the issue counts.
        if (!countButtons || !String(button.callback_data ?? '').startsWith('r:')) continue;
        figures.buttons++;
        if (label.endsWith('…')) {
          figures.cut++;
          if (figures.examples.length < 3) figures.examples.push(label);
        }
      }
    }
  };
  const send = async (update: Update) => {
    const before = h.calls.length;
    await h.bot.handleUpdate(update);
    return h.calls.slice(before);
  };
  for (const lang of LANGS) {
    for (const command of ['/start', '/menu', '/themes', '2.15', '300', 'xqzw', ...TALK[lang]])
      record(lang, await send(message(lang, command)), false);
    for (const theme of [1, 2, 3, 4, 5]) {
      const count = h.engine.recommendationsOf(theme).length;
      for (let page = 0; page * 8 < count; page++)
        record(lang, await send(tap(lang, `t:${theme}:${page}`)), true);
    }
    for (const query of SEARCHES[lang]) {
      const calls = await send(message(lang, query));
      record(lang, calls, true);
      // Every page of the list, by its own buttons.
      const list = calls.find((call) =>
        buttonsOf(call).some((b) => String(b.callback_data).startsWith('s:')),
      );
      const token = list
        ? String(buttonsOf(list).find((b) => String(b.callback_data).startsWith('s:'))!.callback_data).split(
            ':',
          )[1]
        : undefined;
      if (!token) continue;
      for (let page = 1; page < 5; page++) {
        const paged = await send(tap(lang, `s:${token}:${page}`, list));
        if (paged.every((call) => buttonsOf(call).length === 0)) break;
        record(lang, paged, true);
      }
    }
  }
  return figures;
}

async function whatsapp(): Promise<number> {
  const h = await startWhatsAppService();
  installTranslations('content/translations', h.service.engine.corpus, true);
  let messages = 0;
  try {
    let n = 0;
    for (const lang of LANGS) {
      const from = `2237800${String(++n).padStart(4, '0')}`;
      const now = () => ({ from, timestamp: h.clock.seconds });
      const keyword = languageMenu().find((entry) => entry.code === lang)!.keyword;
      const steps = [
        waText(keyword, now()),
        waText(TALK[lang].at(-1)!, now()),
        buttonReply('themes', now()),
        listReply('t:2:0', now()),
        listReply('t:2:1', now()),
        listReply('r:2.15', now()),
        buttonReply('x:2.15', now()),
        waText(SEARCHES[lang][0]!, now()),
        waText('xqzw', now()),
        waText('300', now()),
        buttonReply('about', now()),
        buttonReply('help', now()),
      ];
      for (const step of steps) {
        const before = h.graph.calls.length;
        await h.deliver(notification([step]));
        for (const call of h.graph.calls.slice(before)) {
          messages++;
          scan('whatsapp', lang, textsOf(call.payload));
        }
      }
    }
  } finally {
    await h.close();
  }
  return messages;
}

/** Every piece of text a WhatsApp message shows, one per line. */
function textsOf(payload: unknown): string {
  const out: string[] = [];
  const visit = (value: unknown, key = '') => {
    if (typeof value === 'string') {
      if (['body', 'text', 'title', 'description', 'button'].includes(key)) out.push(value);
      return;
    }
    if (Array.isArray(value)) value.forEach((item) => visit(item, key));
    else if (value && typeof value === 'object')
      for (const [k, v] of Object.entries(value)) if (k !== 'id') visit(v, k);
  };
  visit(payload);
  return out.join('\n');
}

async function main(): Promise<void> {
  const smsFigures = await sms();
  const ussdFigures = await ussd();
  const tg = await telegram();
  const waMessages = await whatsapp();

  const rows: Array<[string, string]> = [];
  const all = LANGS.reduce((a, l) => ({ sms: a.sms + smsFigures[l].sms, one: a.one + smsFigures[l].one }), {
    sms: 0,
    one: 0,
  });
  rows.push([
    `SMS replies in 1 segment over the script (${LANGS.map((l) => SMS_SCRIPT[l].length).join('+')} messages)`,
    `${all.one} of ${all.sms} (${pct(all.one, all.sms)})`,
  ]);
  for (const lang of LANGS)
    rows.push([
      `… in ${lang}`,
      `${smsFigures[lang].one} of ${smsFigures[lang].sms} (${pct(smsFigures[lang].one, smsFigures[lang].sms)})`,
    ]);
  rows.push([
    'Telegram list buttons cut (theme lists and result lists, every page, fr+en+bm)',
    `${tg.cut} of ${tg.buttons}${tg.examples.length ? ` (e.g. ${tg.examples.map((e) => `"${e}"`).join(', ')})` : ''}`,
  ]);
  for (const lang of LANGS) {
    const u = ussdFigures[lang];
    rows.push([
      `USSD words split across screens, ${lang} (300 recommendations, ${u.screens} screens)`,
      `${u.split} of ${u.breaks} breaks${u.examples.length ? ` (e.g. ${u.examples.join('; ')})` : ''}`,
    ]);
    rows.push([
      `USSD theme-list labels cut inside a word, ${lang}`,
      `${u.labelsCutInWord} of ${u.labels} rows`,
    ]);
  }
  for (const lang of ['en', 'bm'] as const) {
    const mine = leaks.filter((leak) => leak.lang === lang);
    const byChannel = ['sms', 'ussd', 'telegram', 'whatsapp']
      .map((channel) => `${channel} ${mine.filter((leak) => leak.channel === channel).length}`)
      .join(', ');
    rows.push([`French strings (ours) found in ${lang} replies`, `${mine.length} (${byChannel})`]);
  }
  console.log('| measure | value |\n| --- | --- |');
  for (const [measure, value] of rows) console.log(`| ${measure} | ${value.replace(/\|/g, '\\|')} |`);
  console.log(`\nWhatsApp messages scanned: ${waMessages}.`);
  const sample = new Map<string, FrenchLeak & { channel: string; lang: Lang }>();
  for (const leak of leaks) {
    const key = `${leak.lang}:${leak.channel}:${leak.source}`;
    if (!sample.has(key)) sample.set(key, leak);
  }
  if (sample.size > 0) {
    console.log('\nFrench found (one line per source, first occurrence):\n');
    for (const leak of [...sample.values()].sort((a, b) => a.channel.localeCompare(b.channel)).slice(0, 60))
      console.log(
        `- ${leak.lang} ${leak.channel}: "${leak.run}" (${leak.source}) in "${leak.line.slice(0, 90)}"`,
      );
    if (sample.size > 60) console.log(`- … ${sample.size - 60} more sources`);
  }
  process.exit(0);
}

await main();
