import type { Recommendation } from '../../src/core/types.js';
import { t, type MessageKey } from '../../src/i18n/index.js';
import { assemble, linesLength } from './layout.js';
import type { MachineState, Screen, UssdContext } from './types.js';
import {
  kit,
  listView,
  MENU_PER_PAGE,
  promptView,
  textView,
  top,
  type Entry,
  type Kit,
  type Move,
  type View,
} from './views.js';

export type { Move, View } from './views.js';

/**
 * What each screen shows and which inputs it accepts. Pure: a screen is a function of the
 * state, the corpus and the configuration, so the machine (and a replay) can ask it again.
 */

/** Search results listed on USSD (a few screens at most). */
export const SEARCH_LIMIT = 15;

/** The report's words for a recommendation: its text, then each item on its own line. */
export function recommendationBody(rec: Recommendation): string {
  return [rec.text, ...(rec.items ?? [])].join('\n');
}

function recView(k: Kit, screen: Extract<Screen, { k: 'rec' }>): View {
  const rec = k.ctx.engine.recommendation(screen.id);
  if (!rec) return homeView(k, { k: 'home' });
  const choices = new Map<string, Move>();
  const extra: string[] = [];
  if (k.ctx.smsEnabled) {
    extra.push(`${k.ctx.keys.sms} ${k.tr('ussd.nav.sms')}`);
    choices.set(k.ctx.keys.sms, { sms: rec.id });
  }
  return textView(k, {
    title: (page, pages) => k.tr('ussd.rec.title', { id: rec.id, page, pages }),
    body: recommendationBody(rec),
    page: screen.p,
    at: (p) => ({ k: 'rec', id: rec.id, p }),
    extra,
    choices,
  });
}

function homeView(k: Kit, screen: Extract<Screen, { k: 'home' }>): View {
  const items: Array<[string, MessageKey, Move]> = [
    ['1', 'ussd.home.themes', { push: { k: 'themes' } }],
    ['2', 'ussd.home.search', { push: { k: 'search' } }],
    ['3', 'ussd.home.number', { push: { k: 'number' } }],
    ['4', 'ussd.home.about', { push: { k: 'about', p: 0 } }],
    ['5', 'ussd.home.language', { push: { k: 'lang' } }],
  ];
  if (screen.resume) items.push([k.ctx.keys.resume, 'ussd.home.resume', { resume: screen.resume }]);
  const lines = items.map(([key, label]) => `${key} ${k.tr(label)}`);
  const quit = `${k.ctx.keys.back} ${k.tr('ussd.home.quit')}`;
  const title = k.tr('ussd.home.title');
  const room = k.ctx.maxChars - linesLength([...lines, quit]) - 1;
  const text = assemble([top(k, title, Math.max(room, 10)), ...lines, quit], k.ctx.maxChars);
  return { text, end: false, choices: new Map(items.map(([key, , move]) => [key, move])) };
}

function numberMove(k: Kit, input: string): Move {
  const { engine } = k.ctx;
  const reply = engine.respond(engine.parse(input));
  switch (reply.kind) {
    case 'recommendation':
      return { push: { k: 'rec', id: reply.recommendation.id, p: 0 } };
    case 'theme':
      return { push: { k: 'numberIn', t: reply.theme.number } };
    case 'outOfRange':
      return reply.maxNumber !== undefined && reply.number !== undefined
        ? { hint: { h: 'recRange', t: reply.theme, n: reply.number, max: reply.maxNumber } }
        : { hint: { h: 'themeRange' } };
    default:
      return { hint: { h: 'invalid' } };
  }
}

function searchMove(k: Kit, input: string): Move {
  const query = input.replace(/\s+/g, ' ').trim().slice(0, 60);
  if (query === '') return { hint: { h: 'invalid' } };
  const outcome = k.ctx.engine.search(query, SEARCH_LIMIT);
  if (outcome.notInReport) return { hint: { h: 'notInReport' } };
  if (outcome.hits.length === 0 || outcome.verdict === 'none') {
    return {
      hint: { h: 'none', s: outcome.suggestion ? k.enc(outcome.suggestion) : undefined },
    };
  }
  const ids = outcome.hits.map((hit) => hit.recommendation.id);
  return { push: { k: 'results', ids, p: 0 } };
}

export function buildView(state: MachineState, ctx: UssdContext): View {
  const k = kit(state, ctx);
  const { engine } = ctx;
  const screen = state.cur;
  switch (screen.k) {
    case 'home':
      return homeView(k, screen);
    case 'themes': {
      const entries = engine.corpus.themes.map((theme) => ({
        key: String(theme.number),
        label: theme.short,
        move: { push: { k: 'theme', t: theme.number, p: 0 } } as Move,
      }));
      return listView(k, {
        title: () => k.tr('ussd.themes.title'),
        entries,
        perPage: MENU_PER_PAGE,
        page: screen.p ?? 0,
        at: (p) => ({ k: 'themes', p }),
      });
    }
    case 'theme': {
      const theme = engine.theme(screen.t);
      if (!theme) return homeView(k, { k: 'home' });
      const entries = engine.recommendationsOf(theme.number).map((rec) => ({
        key: String(rec.number),
        label: rec.label,
        move: { push: { k: 'rec', id: rec.id, p: 0 } } as Move,
      }));
      return listView(k, {
        title: (page, pages) =>
          k.tr('ussd.theme.title', { theme: theme.number, short: theme.short, page, pages }),
        entries,
        page: screen.p,
        at: (p) => ({ k: 'theme', t: theme.number, p }),
      });
    }
    case 'rec':
      return recView(k, screen);
    case 'search':
      return promptView(k, k.tr('ussd.search.title'), k.tr('ussd.search.prompt'), (input) =>
        searchMove(k, input),
      );
    case 'results': {
      const recs = screen.ids.flatMap((id) => engine.recommendation(id) ?? []);
      const entries = recs.map((rec, i) => ({
        key: String(i + 1),
        label: `${rec.id} ${rec.label}`,
        move: { push: { k: 'rec', id: rec.id, p: 0 } } as Move,
      }));
      return listView(k, {
        title: (page, pages) => k.tr('ussd.results.title', { page, pages }),
        entries,
        page: screen.p,
        at: (p) => ({ k: 'results', ids: screen.ids, p }),
      });
    }
    case 'number':
      return promptView(k, k.tr('ussd.number.title'), k.tr('ussd.number.prompt'), (input) =>
        numberMove(k, input),
      );
    case 'numberIn': {
      const count = engine.recommendationsOf(screen.t).length;
      return promptView(
        k,
        k.tr('ussd.number.title'),
        k.tr('ussd.numberIn.prompt', { theme: screen.t, count }),
        (input) => {
          if (!/^\d{1,3}$/.test(input)) return { hint: { h: 'invalid' } };
          const rec = engine.recommendation(screen.t, Number(input));
          return rec
            ? { push: { k: 'rec', id: rec.id, p: 0 } }
            : { hint: { h: 'recRange', t: screen.t, n: Number(input), max: count } };
        },
      );
    }
    case 'about': {
      const body = `${t(state.lang, 'about.ours')}\n${engine.corpus.about.summary[state.lang]}`;
      return textView(k, {
        title: (page, pages) => k.tr('ussd.about.title', { page, pages }),
        body,
        page: screen.p,
        at: (p) => ({ k: 'about', p }),
      });
    }
    case 'lang': {
      const entries: Entry[] = [
        { key: '1', label: t(state.lang, 'ussd.lang.fr'), move: { lang: 'fr' } },
        { key: '2', label: t(state.lang, 'ussd.lang.en'), move: { lang: 'en' } },
      ];
      return listView(k, {
        title: () => k.tr('ussd.lang.title'),
        entries,
        page: 0,
        at: () => ({ k: 'lang' }),
      });
    }
    case 'sms': {
      const key = screen.o === undefined ? 'ussd.sms.pending' : (`ussd.sms.${screen.o}` as const);
      return promptView(k, k.tr('ussd.nav.sms'), k.tr(key, { id: screen.id }), () => ({
        hint: { h: 'invalid' },
      }));
    }
    case 'bye':
      return { text: assemble([k.tr('ussd.bye')], ctx.maxChars), end: true, choices: new Map() };
  }
}
