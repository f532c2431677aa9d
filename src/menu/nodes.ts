import { findRepeats } from '../content/repeats.js';
import type { Engine } from '../core/types.js';
import { recSummary } from '../content/localized.js';
import { menuLanguages } from './languages.js';
import {
  ABOUT_BY_SMS,
  type Action,
  type MenuKeys,
  type MenuNode,
  type MenuState,
  type Option,
  type Place,
} from './types.js';

/**
 * The menus as data: what each place offers. Built once per process from the corpus; nodes that
 * never change (home, themes, each theme's list, languages) are made here once, and a hop only
 * attaches its place (page) to them.
 */

/** Menus of up to 5 choices; lists of recommendations show at most 4 so their labels stay readable. */
const MENU_PER_PAGE = 5;
const LIST_PER_PAGE = 4;
/** The longest query kept from what a person typed in the search prompt. */
const SEARCH_QUERY_MAX = 60;

export interface MenuDeps {
  engine: Engine;
  keys: MenuKeys;
  /** Whether "send by SMS" is offered (an SMS sender is wired). */
  smsEnabled: boolean;
  /**
   * Whether the About text is offered by SMS too (USSD: its screens say so; the voice line has
   * no prompt for it yet).
   */
  aboutBySms?: boolean;
}

export interface Menu {
  readonly keys: MenuKeys;
  node(state: MenuState): MenuNode;
}

const go = (place: Place): Action => ({ go: place });

export function createMenu(deps: MenuDeps): Menu {
  const { engine, keys } = deps;
  const themes = engine.corpus.themes.map((theme) => theme.number).sort((a, b) => a - b);
  // The report's word-for-word repeats (4.11 = 4.57), computed from the corpus, named in the header.
  const twins = new Map(
    [...findRepeats(engine.corpus.recommendations)].flatMap(([id, repeats]) => {
      const same = repeats.find((repeat) => repeat.kind === 'same');
      return same ? [[id, same.id] as const] : [];
    }),
  );

  const homeOptions: Option[] = [
    { key: '1', label: { msg: 'ussd.home.themes' }, action: go({ at: 'themes', page: 0 }) },
    { key: '2', label: { msg: 'ussd.home.search' }, action: go({ at: 'search' }) },
    { key: '3', label: { msg: 'ussd.home.number' }, action: go({ at: 'number' }) },
    { key: '4', label: { msg: 'ussd.home.about' }, action: go({ at: 'about', page: 0 }) },
    { key: '5', label: { msg: 'ussd.home.language' }, action: go({ at: 'lang' }) },
  ];
  const home: Extract<MenuNode, { kind: 'menu' }> = {
    kind: 'menu',
    place: { at: 'home' },
    title: { msg: 'ussd.home.title' },
    options: homeOptions,
    quit: { msg: 'ussd.home.quit' },
  };
  const themeOptions: Option[] = themes.map((number) => ({
    key: String(number),
    label: { theme: number },
    action: go({ at: 'theme', theme: number, page: 0 }),
  }));
  const themeLists = new Map<number, Option[]>(
    themes.map((number) => [
      number,
      engine.recommendationsOf(number).map((rec) => ({
        key: String(rec.number),
        label: { rec: rec.id },
        action: go({ at: 'rec', id: rec.id, page: 0 }),
      })),
    ]),
  );
  const language: MenuNode = {
    kind: 'menu',
    place: { at: 'lang' },
    title: { msg: 'ussd.lang.title' },
    options: menuLanguages().map((lang, i) => ({
      key: String(i + 1),
      label: { language: lang },
      action: { lang },
    })),
  };
  const smsOption = (id: string): Option[] =>
    deps.smsEnabled ? [{ key: keys.sms, label: { msg: 'ussd.nav.sms' }, action: { sms: id } }] : [];
  const feedbackOption = (id: string): Option => ({
    key: keys.feedback,
    label: { msg: 'ussd.nav.feedback' },
    action: go({ at: 'feedback', id }),
  });

  const numberAction = (input: string): Action => {
    const reply = engine.respond(engine.parse(input));
    switch (reply.kind) {
      case 'recommendation':
        return go({ at: 'rec', id: reply.recommendation.id, page: 0 });
      case 'theme':
        return go({ at: 'numberIn', theme: reply.theme.number });
      case 'outOfRange':
        return reply.maxNumber !== undefined && reply.number !== undefined
          ? { hint: { hint: 'recRange', theme: reply.theme, number: reply.number, max: reply.maxNumber } }
          : { hint: { hint: 'themeRange' } };
      default:
        // "eau" at the number prompt: a word is a search, answered as the search prompt would.
        return /\p{L}/u.test(input) ? searchAction(input) : { hint: { hint: 'invalid' } };
    }
  };

  /**
   * The same question every channel asks (the engine's answer to a search intent), so USSD lists
   * the same top results as SMS and Telegram for the same words.
   */
  const searchAction = (input: string): Action => {
    const query = input.replace(/\s+/g, ' ').trim().slice(0, SEARCH_QUERY_MAX);
    if (query === '') return { hint: { hint: 'invalid' } };
    // "merci" typed at the search prompt is thanks, and "215" or a sentence naming a number
    // ("je veux la recommandation 2.15", "suivi de la 2.10") is answered as the number prompt
    // would; anything else (even "stop") is searched, with the words the other channels search.
    // One parse (the text channels' parser) tells which.
    const parsed = engine.parse(query);
    if (parsed.kind === 'smallTalk') return { hint: { hint: 'smallTalk' } };
    const names =
      parsed.kind === 'followUp' && typeof parsed.recommendation === 'object' && parsed.recommendation;
    if (parsed.kind === 'recommendation' || parsed.kind === 'theme' || names) return numberAction(query);
    const reply = engine.respond(parsed.kind === 'search' ? parsed : { kind: 'search', query });
    switch (reply.kind) {
      case 'recommendation':
        return go({ at: 'results', ids: [reply.recommendation.id], page: 0 });
      case 'searchResults':
        return go({
          at: 'results',
          ids: reply.hits.map((hit) => hit.recommendation.id),
          page: 0,
          ...(reply.close ? { close: true as const } : {}),
          ...(reply.theme ? { theme: reply.theme.number } : {}),
        });
      case 'noResults':
        return { hint: { hint: 'none', suggestion: reply.suggestion } };
      case 'notInReport':
        return { hint: { hint: 'notInReport' } };
      case 'smallTalk':
        return { hint: { hint: 'smallTalk' } };
      default:
        return { hint: { hint: 'invalid' } };
    }
  };

  const numberInAction =
    (theme: number) =>
    (input: string): Action => {
      if (!/^\d{1,3}$/.test(input)) return { hint: { hint: 'invalid' } };
      const rec = engine.recommendation(theme, Number(input));
      if (rec) return go({ at: 'rec', id: rec.id, page: 0 });
      const max = engine.recommendationsOf(theme).length;
      return { hint: { hint: 'recRange', theme, number: Number(input), max } };
    };

  function node(state: MenuState): MenuNode {
    const place = state.place;
    switch (place.at) {
      case 'home':
        return place.resume
          ? {
              kind: 'menu',
              place,
              title: home.title,
              quit: { msg: 'ussd.home.quit' },
              options: [
                ...homeOptions,
                { key: keys.resume, label: { msg: 'ussd.home.resume' }, action: { resume: place.resume } },
              ],
            }
          : home;
      case 'themes':
        return {
          kind: 'list',
          place,
          title: { msg: 'ussd.themes.title' },
          options: themeOptions,
          perPage: MENU_PER_PAGE,
        };
      case 'theme': {
        const options = themeLists.get(place.theme);
        if (!options) return home;
        return {
          kind: 'list',
          place,
          // The theme's short name (ours) in the header; the row number is the recommendation's
          // number in the theme, and any of them may be typed on any page ("52" opens x.52).
          title: {
            msg: 'ussd.theme.title',
            params: { theme: place.theme, count: options.length },
            shortOf: place.theme,
          },
          options,
          perPage: LIST_PER_PAGE,
          note: { msg: 'ussd.theme.type', params: { count: options.length } },
        };
      }
      case 'rec': {
        const rec = engine.recommendation(place.id);
        if (!rec) return home;
        // Our summary first where the language has one; one key away, the report's own text.
        const summarized = !place.full && recSummary(rec, state.lang) !== undefined;
        const reportText: Option[] = summarized
          ? [
              {
                key: keys.text,
                label: { msg: 'ussd.rec.reportText' },
                action: go({ at: 'rec', id: place.id, page: 0, full: true }),
              },
            ]
          : [];
        return {
          kind: 'text',
          place,
          title: twins.has(place.id)
            ? { msg: 'ussd.rec.same.title', params: { id: place.id, same: twins.get(place.id)! } }
            : { msg: 'ussd.rec.title', params: { id: place.id } },
          body: place.full ? { recText: place.id, full: true } : { recText: place.id },
          options: [...reportText, ...smsOption(place.id), feedbackOption(place.id)],
        };
      }
      case 'search':
        return {
          kind: 'prompt',
          place,
          title: { msg: 'ussd.search.title' },
          prompt: { msg: 'ussd.search.prompt' },
          accept: searchAction,
        };
      case 'results': {
        const ids = place.ids.filter((id) => engine.recommendation(id) !== undefined);
        const options: Option[] = ids.map((id, i) => ({
          key: String(i + 1),
          label: { rec: id, withId: true },
          action: go({ at: 'rec', id, page: 0 }),
        }));
        // A topic word ("insécurité") names a whole theme: offered after the hits, so the hits
        // keep the numbers SMS gives them.
        if (place.theme !== undefined && engine.theme(place.theme))
          options.push({
            key: String(ids.length + 1),
            label: { msg: 'ussd.results.theme', params: { theme: place.theme } },
            action: go({ at: 'theme', theme: place.theme, page: 0 }),
          });
        return {
          kind: 'list',
          place,
          title: { msg: place.close ? 'ussd.results.closeTitle' : 'ussd.results.title' },
          options,
          perPage: LIST_PER_PAGE,
        };
      }
      case 'number':
        return {
          kind: 'prompt',
          place,
          title: { msg: 'ussd.number.title' },
          prompt: { msg: 'ussd.number.prompt' },
          accept: numberAction,
        };
      case 'numberIn':
        return {
          kind: 'prompt',
          place,
          title: { msg: 'ussd.number.title' },
          prompt: {
            msg: 'ussd.numberIn.prompt',
            params: { theme: place.theme, count: engine.recommendationsOf(place.theme).length },
          },
          accept: numberInAction(place.theme),
        };
      case 'about':
        return {
          kind: 'text',
          place,
          title: { msg: 'ussd.about.title' },
          body: { about: true },
          options: deps.aboutBySms ? smsOption(ABOUT_BY_SMS) : [],
        };
      case 'lang':
        return language;
      case 'sms': {
        const outcome = place.outcome ?? 'pending';
        // "Sent" and "on its way" name what was sent: a recommendation, or the About text.
        const about = place.id === ABOUT_BY_SMS && (outcome === 'sent' || outcome === 'pending');
        return {
          kind: 'notice',
          place,
          title: { msg: 'ussd.nav.sms' },
          text: {
            msg: about
              ? outcome === 'sent'
                ? 'ussd.sms.aboutSent'
                : 'ussd.sms.aboutPending'
              : `ussd.sms.${outcome}`,
            params: { id: place.id },
          },
        };
      }
      case 'feedback':
        if (!engine.recommendation(place.id)) return home;
        if (place.value)
          return {
            kind: 'notice',
            place,
            title: { msg: 'ussd.nav.feedback' },
            text: { msg: 'ussd.feedback.thanks', params: { id: place.id } },
          };
        return {
          kind: 'menu',
          place,
          title: { msg: 'ussd.feedback.title', params: { id: place.id } },
          options: [
            {
              key: '1',
              label: { msg: 'ussd.feedback.useful' },
              action: { feedback: { id: place.id, value: 'useful' } },
            },
            {
              key: '2',
              label: { msg: 'ussd.feedback.unclear' },
              action: { feedback: { id: place.id, value: 'unclear' } },
            },
          ],
        };
      case 'bye':
        return { kind: 'end', place, text: { msg: 'ussd.bye' } };
    }
  }

  return { keys, node };
}
