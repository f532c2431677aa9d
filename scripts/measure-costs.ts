/**
 * What the channels cost a person, measured on the real renderers (issue 16): SMS segments for
 * THEMES, one "nothing found", INFO and reading theme 4 (its list, every page), and the USSD
 * keypresses to reach 4.81 and 5.52 using only what the screens show (numbered lines, the
 * "more" key, and the numbers a screen says to type), found by breadth-first search; and how many
 * results the first SMS of a search shows, over the search evaluation's queries
 * (test/fixtures/search-queries.json) that find more than one message of results. Prints a
 * markdown table.
 *
 *   npx tsx scripts/measure-costs.ts
 */
import { createSmsRenderer } from '../adapters/sms/render.js';
import { countSegments } from '../adapters/sms/segments.js';
import { readFileSync } from 'node:fs';
import { replay } from '../adapters/ussd/menu.js';
import { ussdContext } from '../adapters/ussd/router.js';
import type { UssdContext } from '../adapters/ussd/types.js';
import { loadConfig } from '../src/config.js';
import { loadCorpus } from '../src/content/load.js';
import { createEngine } from '../src/core/engine.js';
import { createSearcher, loadLexicon } from '../src/search/index.js';

const config = loadConfig({ NODE_ENV: 'test' });
const corpus = loadCorpus(config.CONTENT_FILE);
const engine = createEngine(corpus, createSearcher(corpus, loadLexicon(config.LEXICON_FILE)));
const render = createSmsRenderer({ maxSegments: config.SMS_MAX_SEGMENTS, engine });

function sms(text: string): { now: number; messages: number; segments: number } {
  const pages = render(engine.answer(text), 'fr');
  return {
    now: countSegments(pages[0] ?? '').segments,
    messages: pages.length,
    segments: pages.reduce((sum, page) => sum + countSegments(page).segments, 0),
  };
}

// The service's own context (keys from the configuration), GSM-7 screens, "send by SMS" offered.
const ctx: UssdContext = { ...ussdContext({ engine, config }), alphabet: 'gsm', smsEnabled: true };

/** Fewest inputs, among those a screen shows, from the home screen to the first page of `id`. */
function presses(id: string): number | undefined {
  const header = new RegExp(`^(Rec\\.|Recommandation) ${id.replace('.', '\\.')}\\b`);
  let frontier: string[][] = [[]];
  const seen = new Set<string>();
  for (let depth = 0; depth <= 40; depth++) {
    const next: string[][] = [];
    for (const path of frontier) {
      const { text } = replay(path, ctx);
      if (header.test(text.split('\n')[0] ?? '')) return depth;
      if (seen.has(text)) continue;
      seen.add(text);
      // A screen that says which numbers to type ("tapez 1 à 81") offers them all.
      const announced = /(?:tapez|type)(?: un numéro| a number)? \(?1 (?:à|to) (\d+)/i.exec(text)?.[1];
      const wanted = id.split('.')[1]!;
      if (announced && Number(wanted) <= Number(announced)) next.push([...path, wanted]);
      for (const line of text.split('\n')) {
        const key = /^(\d+)[ .]/.exec(line)?.[1];
        if (key && key !== ctx.keys.back && key !== ctx.keys.home && key !== ctx.keys.sms)
          next.push([...path, key]);
      }
    }
    frontier = next;
  }
  return undefined;
}

const rows: Array<[string, string]> = [];
for (const [label, text] of [
  ['SMS `THEMES`', 'THEMES'],
  ['SMS one "nothing found" (`xqzw`)', 'xqzw'],
  ['SMS `INFO`', 'INFO'],
  ['SMS `T4` (theme 4, every page)', 'T4'],
] as const) {
  const { now, messages, segments } = sms(text);
  rows.push([label, `${now} segment(s) sent at once; ${segments} segments in ${messages} SMS to the end`]);
}
for (const id of ['4.81', '5.52'])
  rows.push([
    `USSD presses to reach ${id} (using what the screens show)`,
    String(presses(id) ?? 'unreachable'),
  ]);

// The first SMS of a search's list that needs several: how many results it shows (the rest cost SUITE).
const queries = JSON.parse(readFileSync('test/fixtures/search-queries.json', 'utf8')) as Array<{ q: string }>;
const firstPages = queries
  .map(({ q }) => engine.respond({ kind: 'search', query: q }))
  .filter((reply) => reply.kind === 'searchResults')
  .map((reply) => render(reply, 'fr'))
  .filter((pages) => pages.length > 1)
  .map((pages) => (pages[0]!.match(/^\d\.\d+ /gm) ?? []).length);
const share = (n: number) => firstPages.filter((count) => count === n).length;
rows.push([
  `SMS search lists of several pages (${firstPages.length} of ${queries.length} evaluation queries): results on the first SMS`,
  `mean ${(firstPages.reduce((a, b) => a + b, 0) / firstPages.length).toFixed(2)}; 1: ${share(1)}, 2: ${share(2)}, 3: ${share(3)}, 4+: ${firstPages.filter((count) => count >= 4).length}`,
]);

console.log('| measure | value |\n| --- | --- |');
for (const [label, value] of rows) console.log(`| ${label} | ${value} |`);
