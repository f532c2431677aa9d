/**
 * What USSD theme lists cost and show (issue 16): for each theme and language, the screens of
 * its list and the septets of every label as shown (after any cut, without the ".." marker);
 * the presses and screens to reach 4.81 and 5.52 by browsing (the theme's list and `98 Suite`)
 * and by typing the number on the theme list. Walks the real menu machine and renderer.
 *
 *   npx tsx scripts/measure-ussd-lists.ts
 */
import { languageCodes } from '../src/i18n/index.js';
import { createSmsRenderer } from '../adapters/sms/render.js';
import { countSegments } from '../adapters/sms/segments.js';
import { render, transition } from '../adapters/ussd/menu.js';
import { ussdContext } from '../adapters/ussd/router.js';
import type { UssdContext } from '../adapters/ussd/types.js';
import { loadConfig } from '../src/config.js';
import { loadCorpus } from '../src/content/load.js';
import { createEngine } from '../src/core/engine.js';
import type { Lang } from '../src/core/types.js';
import { initialState, type MenuState } from '../src/menu/index.js';
import { createSearcher, loadLexicon } from '../src/search/index.js';
import { gsm7Length } from '../src/text/gsm7.js';

const config = loadConfig({ NODE_ENV: 'test' });
const corpus = loadCorpus(config.CONTENT_FILE);
const engine = createEngine(corpus, createSearcher(corpus, loadLexicon(config.LEXICON_FILE)));
// The service's own context (keys from the configuration), GSM-7 screens, "send by SMS" offered.
const ctx: UssdContext = { ...ussdContext({ engine, config }), alphabet: 'gsm', smsEnabled: true };
const NAV = new Set(['0', '00', '98']);

/** The screens a session shows for these inputs, from the home screen (included). */
function walk(inputs: string[], lang: Lang): string[] {
  let state: MenuState = initialState(lang);
  const screens = [render(state, ctx).text];
  for (const input of inputs) {
    state = transition(state, input, ctx).state;
    screens.push(render(state, ctx).text);
  }
  return screens;
}

/** The rows of a list screen: key and label as shown (the cut marker not counted). */
function rows(screen: string): Array<{ key: string; label: string; cut: boolean }> {
  return screen
    .split('\n')
    .slice(1)
    .flatMap((line) => {
      const match = /^(\d{1,3}) (.*)$/.exec(line);
      if (!match || NAV.has(match[1]!)) return [];
      const cut = match[2]!.endsWith('..');
      return [{ key: match[1]!, label: cut ? match[2]!.slice(0, -2) : match[2]!, cut }];
    });
}

/** Every screen of a theme's list, paged with `98`. */
export function themeScreens(theme: number, lang: Lang): string[] {
  const inputs = ['1', String(theme)];
  const screens = [walk(inputs, lang).at(-1)!];
  while (
    screens
      .at(-1)!
      .split('\n')
      .some((line) => line.startsWith('98 ')) &&
    screens.length < 200
  ) {
    inputs.push('98');
    screens.push(walk(inputs, lang).at(-1)!);
  }
  return screens;
}

/** Browsing: the theme, then `98` until the row shows, then its number. */
function browse(id: string): { presses: number; screens: number } {
  const [theme, number] = id.split('.');
  const inputs = ['1', theme!];
  for (const screen of themeScreens(Number(theme), 'fr')) {
    if (rows(screen).some((row) => row.key === number)) break;
    inputs.push('98');
  }
  inputs.push(number!);
  const shown = walk(inputs, 'fr');
  if (!new RegExp(`\\b${id.replace('.', '\\.')}\\b`).test(shown.at(-1)!.split('\n')[0]!))
    throw new Error(`browsing did not reach ${id}`);
  return { presses: inputs.length, screens: shown.length };
}

/** Typing: the theme, then the number on its first list screen. */
function typed(id: string): { presses: number; screens: number; said: boolean } {
  const [theme, number] = id.split('.');
  const shown = walk(['1', theme!, number!], 'fr');
  const reached = new RegExp(`\\b${id.replace('.', '\\.')}\\b`).test(shown.at(-1)!.split('\n')[0]!);
  if (!reached) throw new Error(`typing did not reach ${id}`);
  const said = /(1 à \d+)/.test(shown[2]!);
  return { presses: 3, screens: shown.length, said };
}

const out: string[] = ['| measure | value |', '| --- | --- |'];
for (const id of ['4.81', '5.52']) {
  const b = browse(id);
  const ty = typed(id);
  out.push(`| USSD to reach ${id} by browsing the theme list | ${b.presses} presses, ${b.screens} screens |`);
  out.push(
    `| USSD to reach ${id} by typing its number on the theme list | ${ty.presses} presses, ${ty.screens} screens (range said on the list: ${ty.said ? 'yes' : 'no'}) |`,
  );
}
{
  // About: its pages (the SMS offer takes a line on each).
  const inputs = ['4'];
  while (
    walk(inputs, 'fr')
      .at(-1)!
      .split('\n')
      .some((line) => line.startsWith('98 ')) &&
    inputs.length < 50
  )
    inputs.push('98');
  const offers = walk(['4'], 'fr')
    .at(-1)!
    .split('\n')
    .some((line) => /^9 .*SMS/.test(line));
  out.push(
    `| USSD About: screens to read it all | ${inputs.length} (SMS offered: ${offers ? 'yes' : 'no'}) |`,
  );
  // What "9 Recevoir par SMS" sends: the About text, every page at once.
  const pages = createSmsRenderer({ maxSegments: config.SMS_MAX_SEGMENTS, engine })(
    { kind: 'about', about: corpus.about },
    'fr',
    'allAtOnce',
  );
  const segments = pages.reduce((sum, page) => sum + countSegments(page).segments, 0);
  out.push(`| SMS sent by "9" on USSD About (its whole text) | ${pages.length} SMS, ${segments} segments |`);
}
for (const lang of languageCodes()) {
  const labels: number[] = [];
  const cutLabels: number[] = [];
  let cut = 0;
  let screens = 0;
  let theme4 = 0;
  for (const theme of corpus.themes.map((t) => t.number)) {
    const list = themeScreens(theme, lang);
    screens += list.length;
    if (theme === 4) theme4 = list.length;
    for (const row of list.flatMap(rows)) {
      labels.push(gsm7Length(row.label.replace(/^\d+\.\d+ /, '')));
      if (row.cut) {
        cut += 1;
        cutLabels.push(labels.at(-1)!);
      }
    }
  }
  const avg = labels.reduce((a, b) => a + b, 0) / labels.length;
  out.push(
    `| USSD theme lists (${lang}): screens for theme 4; all themes | ${theme4}; ${screens} (${labels.length} rows) |`,
  );
  out.push(
    `| USSD theme lists (${lang}): label septets shown, average / minimum; labels cut, shortest cut one | ${avg.toFixed(1)} / ${Math.min(...labels)}; ${cut} of ${labels.length}, ${cutLabels.length ? Math.min(...cutLabels) : '-'} |`,
  );
}
console.log(out.join('\n'));
