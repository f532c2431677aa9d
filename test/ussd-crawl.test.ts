import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus } from '../src/content/load.js';
import type { Lang } from '../src/core/types.js';
import { t } from '../src/i18n/index.js';
import { gsm7Length, isGsm7 } from '../src/text/gsm7.js';
import { startService, type RunningService } from './support/service.js';
import {
  atHop,
  encoder,
  freshPhone,
  navLines,
  newSessionId,
  recBody,
  recHeader,
  squash,
} from './support/ussd.js';

/**
 * Walks every screen of the USSD menus through the real HTTP route (Africa's Talking dialect,
 * the real service in-process). Each probe is a fresh session whose `text` is the whole path,
 * exactly what AT sends when a dial string carries extra parts. Breadth-first over the inputs
 * each screen shows (its numbered lines) plus the navigation keys, and a few typed words on
 * the prompts. Screens are explored once per distinct text; hint redraws are checked, not expanded.
 */

const corpus = loadCorpus('content/recommendations.json');
const byId = new Map(corpus.recommendations.map((r) => [r.id, r]));
const isAscii = (text: string) => /^[\n\x20-\x7e]*$/.test(text);

interface CrawlResult {
  screens: number;
  probes: number;
  tooLong: string[];
  badAlphabet: string[];
  noWayBack: string[];
  statuses: Set<number>;
  /** id → page number → body, per language. */
  pages: Map<string, Map<number, string>>;
  declaredPages: Map<string, number>;
  langs: Set<Lang>;
}

async function crawl(
  baseUrl: string,
  alphabet: 'gsm' | 'ascii',
  exploreEnglish: boolean,
): Promise<CrawlResult> {
  const enc = encoder(alphabet);
  const hints = new Set((['fr', 'en'] as const).map((lang) => navLines(lang, alphabet).invalid));
  const titles = {
    search: (['fr', 'en'] as const).map((lang) => enc(t(lang, 'ussd.search.title'))),
    number: (['fr', 'en'] as const).map((lang) => enc(t(lang, 'ussd.number.title'))),
  };
  const result: CrawlResult = {
    screens: 0,
    probes: 0,
    tooLong: [],
    badAlphabet: [],
    noWayBack: [],
    statuses: new Set(),
    pages: new Map(),
    declaredPages: new Map(),
    langs: new Set(),
  };
  const seen = new Set<string>();
  let smsProbes = 0;
  let queue: string[][] = [[]];
  while (queue.length > 0) {
    const next: string[][] = [];
    // A handful of probes at a time: the service is real, the crawl should not be a load test.
    for (let i = 0; i < queue.length; i += 16) {
      const batch = queue.slice(i, i + 16);
      const answers = await Promise.all(
        batch.map((path) =>
          atHop(baseUrl, { sessionId: newSessionId(), phone: freshPhone(), text: path.join('*') }),
        ),
      );
      answers.forEach((answer, j) => {
        const path = batch[j]!;
        result.probes += 1;
        result.statuses.add(answer.status);
        if (seen.has(answer.screen)) return;
        seen.add(answer.screen);
        result.screens += 1;
        const where = `[${path.join('*')}] ${answer.screen}`;
        if (gsm7Length(answer.screen) > 160) result.tooLong.push(where);
        if (!isGsm7(answer.screen) || (alphabet === 'ascii' && !isAscii(answer.screen)))
          result.badAlphabet.push(where);
        if (answer.end) return;
        if (!answer.lines.some((line) => line.startsWith('0 '))) result.noWayBack.push(where);
        const lang: Lang = /^0 (Retour|Quitter)/m.test(answer.screen) ? 'fr' : 'en';
        if (!exploreEnglish && lang === 'en') return; // checked above, not expanded
        result.langs.add(lang);
        const header = recHeader(answer.lines[0]);
        if (header) {
          // Page breaks differ by language (the navigation lines differ): keep them apart.
          const key = `${lang}:${header.id}`;
          const pages = result.pages.get(key) ?? new Map<number, string>();
          pages.set(header.page, recBody(answer.lines, lang, alphabet));
          result.pages.set(key, pages);
          result.declaredPages.set(key, header.pages);
        }
        if (hints.has(answer.lines[0]!)) return; // a redraw: checked above, its inputs are its screen's
        const inputs = new Set(
          answer.lines.map((line) => /^(\d{1,3}) /.exec(line)?.[1]).filter((d): d is string => !!d),
        );
        for (const key of ['0', '00', '98']) inputs.add(key);
        if (header && inputs.has('9')) {
          // One "send by SMS" per language is enough: each would queue a real (outbox) message.
          if (smsProbes >= 2) inputs.delete('9');
          else smsProbes += 1;
        }
        if (titles.search.includes(answer.lines[0]!))
          ['eau', 'route Kidal', 'zzzqx'].forEach((w) => inputs.add(w));
        if (titles.number.includes(answer.lines[0]!))
          ['215', '480', '2', '299', '9'].forEach((w) => inputs.add(w));
        for (const input of inputs) next.push([...path, input]);
      });
    }
    queue = next;
  }
  return result;
}

function expectComplete(result: CrawlResult, alphabet: 'gsm' | 'ascii') {
  const enc = encoder(alphabet);
  expect(result.tooLong).toEqual([]);
  expect(result.badAlphabet).toEqual([]);
  expect(result.noWayBack).toEqual([]);
  expect([...result.statuses]).toEqual([200]);
  const unread: string[] = [];
  for (const [lang, rec] of [...result.langs].flatMap((l) =>
    corpus.recommendations.map((r) => [l, r] as const),
  )) {
    const pages = result.pages.get(`${lang}:${rec.id}`);
    const declared = result.declaredPages.get(`${lang}:${rec.id}`);
    if (!pages || declared === undefined) {
      unread.push(`${lang} ${rec.id}: never shown`);
      continue;
    }
    const ordered = Array.from({ length: declared }, (_, i) => pages.get(i + 1));
    if (ordered.some((page) => page === undefined)) {
      unread.push(`${lang} ${rec.id}: pages missing`);
      continue;
    }
    // The report's text, then each item under its bullet.
    const expected = squash(enc([rec.text, ...(rec.items ?? []).map((item) => `- ${item}`)].join('\n')));
    if (squash(ordered.join(' ')) !== expected) unread.push(`${lang} ${rec.id}: text differs`);
  }
  expect(unread).toEqual([]);
  expect(byId.size).toBe(300);
}

describe('USSD menu crawl, GSM-7 (real HTTP, Africa\u2019s Talking dialect)', () => {
  let running: RunningService;
  let result: CrawlResult;
  beforeAll(async () => {
    running = await startService({ LOG_LEVEL: 'silent' });
    result = await crawl(running.baseUrl, 'gsm', true);
  }, 300_000);
  afterAll(() => running.close());

  it('when every screen is walked, then each fits 160 septets, is GSM-7, answers 200 and has a way back', () => {
    expect(result.screens).toBeGreaterThan(900);
    expectComplete(result, 'gsm');
  });

  it('when every screen is walked, then both languages were reached', () => {
    expect([...result.langs].sort()).toEqual(['en', 'fr']);
  });
});

describe('USSD menu crawl, ASCII (USSD_ALPHABET=ascii)', () => {
  let running: RunningService;
  let result: CrawlResult;
  beforeAll(async () => {
    running = await startService({ LOG_LEVEL: 'silent', USSD_ALPHABET: 'ascii' });
    result = await crawl(running.baseUrl, 'ascii', false);
  }, 300_000);
  afterAll(() => running.close());

  it('when every French screen is walked, then each fits, is plain ASCII, and every recommendation reads in full', () => {
    expect(result.screens).toBeGreaterThan(800);
    expectComplete(result, 'ascii');
  });
});
