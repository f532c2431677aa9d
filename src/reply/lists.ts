import { themeName, themeTitle } from '../content/localized.js';
import type { Engine, Lang, Reply } from '../core/types.js';
import { t, tp } from '../i18n/index.js';
import type { ReplyPlan, Surface } from './types.js';
import {
  action,
  line,
  nextStep,
  optional,
  recEntry,
  resultsTitle,
  shortEcho,
  themeEntry,
  themesAndHome,
} from './words.js';

/**
 * The replies that are lists: the themes, one theme's recommendations, a search's results, and
 * "nothing found" (which offers the themes). Each entry carries our label in the person's
 * language; a typed screen says what to send, a buttons screen says "tap".
 */

type Of<K extends Reply['kind']> = Extract<Reply, { kind: K }>;

const labelsAreOurs = (lang: Lang) => [optional(t(lang, 'label.ours'), 'ours')];

export function themesPlan(
  reply: { themes: Of<'themes'>['themes'] },
  lang: Lang,
  surface: Surface,
  engine: Engine,
  kind = 'themes',
): ReplyPlan {
  const typed = surface.input === 'typed';
  return {
    kind,
    // By SMS the T1..T5 lines say what they are: no title, and the answer stays in one segment.
    lines: typed ? [] : [line(t(lang, 'themes.title'), 'title')],
    list: {
      entries: reply.themes.map((theme) => themeEntry(theme, lang, engine)),
      choose: typed ? t(lang, 'sms.themes.prompt', { count: reply.themes.length }) : t(lang, 'themes.prompt'),
    },
    actions: [action(lang, 'button.home', { to: 'home' })],
  };
}

export function themePlan(reply: Of<'theme'>, lang: Lang, surface: Surface): ReplyPlan {
  const { theme, recommendations } = reply;
  const count = recommendations.length;
  const title = t(lang, 'theme.title', { theme: theme.number, title: themeTitle(theme, lang) });
  const example = recommendations[0]?.id ?? `${theme.number}.1`;
  return {
    kind: 'theme',
    lines: [line(title, 'title'), line(t(lang, 'theme.count', { theme: theme.number, count }))],
    list: {
      entries: recommendations.map((rec) => recEntry(rec, lang)),
      choose: surface.input === 'typed' ? t(lang, 'sms.list.prompt', { example }) : t(lang, 'list.tap'),
    },
    after: labelsAreOurs(lang),
    actions: themesAndHome(lang),
    // By SMS a theme is first one message (its size, how to read it), the list on SUITE.
    intro: (pages) => [
      line(title, 'title'),
      line(
        t(lang, 'sms.theme.summary', {
          theme: theme.number,
          count,
          example: recommendations[Math.min(11, count - 1)]?.id ?? `${theme.number}.1`,
          pages,
        }),
      ),
    ],
  };
}

export function resultsPlan(
  reply: Of<'searchResults'>,
  lang: Lang,
  surface: Surface,
  engine: Engine,
): ReplyPlan {
  const typed = surface.input === 'typed';
  // Where every character is paid for, the words understood are shortened (an echo, not a quote).
  const shorten = typed ? shortEcho : (echo: string) => echo;
  const suggestion = reply.suggestion
    ? [line(t(lang, 'search.didYouMean', { suggestion: shorten(reply.suggestion) }))]
    : [];
  const recs = reply.hits.map((hit) => hit.recommendation);
  const title = line(resultsTitle(lang, reply, shorten), 'title');
  const example = recs[0]?.id ?? '2.15';
  const theme = reply.theme;
  if (typed)
    return {
      kind: 'searchResults',
      lines: [
        ...suggestion,
        title,
        ...(theme ? [line(t(lang, 'search.themeOffer', { theme: theme.number }))] : []),
      ],
      list: {
        entries: recs.map((rec) => recEntry(rec, lang)),
        // Short: by SMS it opens the list, so the first message already says how to read one.
        choose: t(lang, 'sms.list.pick', { example }),
        more: t(lang, 'sms.list.pickMore', { example }),
      },
      actions: [],
    };
  return {
    kind: 'searchResults',
    lines: [title, ...suggestion, line(tp(lang, 'results.count', recs.length))],
    list: {
      entries: recs.map((rec) => recEntry(rec, lang)),
      choose: '',
      // A topic word ("insécurité") names a whole theme: offered before the hits.
      ...(theme
        ? {
            theme: {
              ...themeEntry(theme, lang, engine),
              offer: t(lang, 'search.themeButton', { theme: theme.number, title: themeName(theme, lang) }),
            },
          }
        : {}),
    },
    after: labelsAreOurs(lang),
    actions: [
      action(lang, 'button.wrongAnswer', { to: 'wrongAnswer' }),
      action(lang, 'button.home', { to: 'home' }),
    ],
  };
}

export function noResultsPlan(
  reply: Of<'noResults'>,
  lang: Lang,
  surface: Surface,
  engine: Engine,
): ReplyPlan {
  // Never the message itself: it may be an insult, a name or a long forwarded text.
  const lines = [line(t(lang, 'search.none'))];
  const shorten = surface.input === 'typed' ? shortEcho : (echo: string) => echo;
  if (reply.suggestion)
    lines.push(line(t(lang, 'search.didYouMean', { suggestion: shorten(reply.suggestion) })));
  if (surface.input === 'typed')
    // Not the theme list (THEMES sends it): a nothing-found stays in one segment.
    return { kind: 'noResults', lines: [...lines, nextStep(lang, surface)], actions: [] };
  return {
    kind: 'noResults',
    lines: [...lines, line(t(lang, 'search.noneHint'))],
    list: { entries: reply.themes.map((theme) => themeEntry(theme, lang, engine)), choose: '' },
    actions: [action(lang, 'button.home', { to: 'home' })],
  };
}
