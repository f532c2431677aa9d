import type { Engine, Lang, Recommendation, Reply, Theme } from '../../src/core/types.js';
import { languageMenu as languageEntries, localized, t } from '../../src/i18n/index.js';
import { resultsTitle, SMALL_TALK_REPLY } from '../../src/core/sentences.js';
import { followUpShortLine } from '../../src/followup/reply.js';
import { recommendationUrl } from '../../src/content/public-links.js';
import { followUpAnswerLines } from '../../src/followup/turn.js';
import { encodeChoice, type Choice } from './ids.js';
import {
  WA_LIMITS,
  fit,
  head,
  splitText,
  type ListRow,
  type OutgoingMessage,
  type ReplyButton,
} from './limits.js';

/** Recommendations per list page: 8 rows, plus "◀ previous" and "more ▶", stays within 10 rows. */
export const LIST_PAGE_SIZE = 8;

export function pageCount(total: number): number {
  return Math.max(1, Math.ceil(total / LIST_PAGE_SIZE));
}

const text = (body: string): OutgoingMessage[] =>
  splitText(body, WA_LIMITS.textBody).map((part) => ({ type: 'text', text: { body: part } }));

const withPreview = (messages: OutgoingMessage[], preview: boolean): OutgoingMessage[] =>
  preview
    ? messages.map((m) => (m.type === 'text' ? { ...m, text: { ...m.text, preview_url: true } } : m))
    : messages;

const button = (title: string, choice: Choice): ReplyButton => ({
  type: 'reply',
  reply: { id: encodeChoice(choice), title: fit(title, WA_LIMITS.replyButtonTitle) },
});

function buttons(body: string, list: ReplyButton[], header?: string, footer?: string): OutgoingMessage {
  return {
    type: 'interactive',
    interactive: {
      type: 'button',
      ...(header ? { header: { type: 'text', text: fit(header, WA_LIMITS.header) } } : {}),
      body: { text: fitBody(body) },
      ...(footer ? { footer: { text: fit(footer, WA_LIMITS.footer) } } : {}),
      action: { buttons: list.slice(0, WA_LIMITS.replyButtons) },
    },
  };
}

/** An interactive body keeps its line breaks; only its length is bounded. */
function fitBody(body: string): string {
  const clean = body.trim();
  return clean.length <= WA_LIMITS.interactiveBody
    ? clean
    : `${head(clean, WA_LIMITS.interactiveBody - 1).trimEnd()}…`;
}

function list(
  body: string,
  buttonText: string,
  rows: ListRow[],
  options: { header?: string; footer?: string; sectionTitle?: string } = {},
): OutgoingMessage {
  return {
    type: 'interactive',
    interactive: {
      type: 'list',
      ...(options.header ? { header: { type: 'text', text: fit(options.header, WA_LIMITS.header) } } : {}),
      body: { text: fitBody(body) },
      ...(options.footer ? { footer: { text: fit(options.footer, WA_LIMITS.footer) } } : {}),
      action: {
        button: fit(buttonText, WA_LIMITS.listButton),
        sections: [
          {
            ...(options.sectionTitle ? { title: fit(options.sectionTitle, WA_LIMITS.sectionTitle) } : {}),
            rows: rows.slice(0, WA_LIMITS.listRowsTotal),
          },
        ],
      },
    },
  };
}

/** A row shows our short label, never presented as the report's words (the body says so). */
function recommendationRow(rec: Recommendation): ListRow {
  const title = fit(`${rec.id} ${rec.label}`, WA_LIMITS.rowTitle);
  const full = `${rec.id} ${rec.label}`;
  return {
    id: encodeChoice({ kind: 'open', id: rec.id }),
    title,
    ...(title !== full ? { description: fit(rec.label, WA_LIMITS.rowDescription) } : {}),
  };
}

function themeRow(theme: Theme, count: number): ListRow {
  return {
    id: encodeChoice({ kind: 'theme', theme: theme.number, page: 0 }),
    title: fit(`${theme.number}. ${theme.short}`, WA_LIMITS.rowTitle),
    description: fit(`${theme.title} (${count})`, WA_LIMITS.rowDescription),
  };
}

/** The words of the report for one recommendation: its text and its items, as the report has them. */
export function reportText(rec: Recommendation): string {
  return [rec.text, ...(rec.items ?? []).map((item) => `- ${item}`)].join('\n');
}

export interface WhatsAppRenderer {
  /** The messages for one engine reply, in order. `page` is the list page of a theme reply. */
  render(reply: Reply, lang: Lang, page?: number): OutgoingMessage[];
  /** The whole text of a recommendation, split at 4096 characters. */
  fullText(rec: Recommendation, lang: Lang): OutgoingMessage[];
  /** A message written to be forwarded as it is, then how to forward it. */
  share(rec: Recommendation, lang: Lang): OutgoingMessage[];
  /** The recommendation after this one (2.41 → 3.1), or undefined after the last. */
  after(id: string): Recommendation | undefined;
  languageMenu(lang: Lang): OutgoingMessage[];
  home(lang: Lang): OutgoingMessage[];
  /** A sentence of ours as text messages (split at 4096 characters). */
  text(body: string): OutgoingMessage[];
}

/** `publicPageBase`: the public site's base URL (PUBLIC_BASE_URL); a shared recommendation links its page. */
export function createWhatsAppRenderer(engine: Engine, publicPageBase?: string): WhatsAppRenderer {
  const ordered = [...engine.corpus.recommendations].sort((a, b) => a.theme - b.theme || a.number - b.number);
  const indexOf = new Map(ordered.map((rec, i) => [rec.id, i]));
  const countOf = (theme: number) => engine.recommendationsOf(theme).length;
  const after = (id: string) => {
    const index = indexOf.get(id);
    return index === undefined ? undefined : ordered[index + 1];
  };

  const menuButtons = (lang: Lang) => [
    button(t(lang, 'wa.button.themes'), { kind: 'themes' }),
    button(t(lang, 'wa.button.help'), { kind: 'help' }),
    button(t(lang, 'wa.button.language'), { kind: 'languageMenu' }),
  ];

  const home = (lang: Lang): OutgoingMessage[] => [
    buttons(
      `${t(lang, 'wa.greeting')}\n\n${t(lang, 'home.title')}\n\n${t(lang, 'wa.menuPrompt')}`,
      menuButtons(lang),
      t(lang, 'app.name'),
    ),
  ];

  const themesList = (lang: Lang, themes: Theme[], intro: string): OutgoingMessage =>
    list(
      intro,
      t(lang, 'wa.list.themes'),
      themes.map((theme) => themeRow(theme, countOf(theme.number))),
      { header: t(lang, 'themes.title') },
    );

  const themePage = (
    lang: Lang,
    theme: Theme,
    recs: Recommendation[],
    requested: number,
  ): OutgoingMessage => {
    const pages = pageCount(recs.length);
    const page = Math.min(Math.max(0, requested), pages - 1);
    const rows = recs.slice(page * LIST_PAGE_SIZE, (page + 1) * LIST_PAGE_SIZE).map(recommendationRow);
    if (page > 0)
      rows.push({
        id: encodeChoice({ kind: 'theme', theme: theme.number, page: page - 1 }),
        title: fit(t(lang, 'wa.list.previous'), WA_LIMITS.rowTitle),
      });
    if (page < pages - 1)
      rows.push({
        id: encodeChoice({ kind: 'theme', theme: theme.number, page: page + 1 }),
        title: fit(t(lang, 'wa.list.more'), WA_LIMITS.rowTitle),
        description: fit(t(lang, 'wa.list.moreDescription'), WA_LIMITS.rowDescription),
      });
    const body = [
      t(lang, 'theme.title', { theme: theme.number, title: theme.title }),
      t(lang, 'theme.count', { theme: theme.number, count: recs.length }),
      '',
      t(lang, 'wa.themePrompt'),
      `_${t(lang, 'label.ours')}_`,
    ].join('\n');
    return list(body, t(lang, 'wa.list.recommendations'), rows, {
      header: t(lang, 'theme.title', { theme: theme.number, title: theme.short }),
      footer: t(lang, 'wa.page', { page: page + 1, pages }),
      sectionTitle: t(lang, 'wa.list.section', { theme: theme.number, page: page + 1, pages }),
    });
  };

  /**
   * One recommendation with its buttons. The body holds the report's words when they fit in
   * 1024 characters; otherwise the body holds their beginning (marked as cut) and "Full text"
   * sends them whole. Nothing of ours is mixed into the report's sentences.
   */
  const recommendation = (lang: Lang, rec: Recommendation, theme: Theme): OutgoingMessage[] => [
    ...card(lang, rec, theme),
    // An editor's follow-up (ours, with its source) as a message of its own under the card.
    ...followUpOf(lang, rec),
  ];

  const followUpOf = (lang: Lang, rec: Recommendation): OutgoingMessage[] => {
    const entry = engine.followUpOf(rec.id);
    return entry ? text(`_${followUpShortLine(entry, lang)}_`) : [];
  };

  const card = (lang: Lang, rec: Recommendation, theme: Theme): OutgoingMessage[] => {
    const words = reportText(rec);
    const next = after(rec.id);
    const nextButton = next ? [button(t(lang, 'wa.button.next'), { kind: 'next', id: rec.id })] : [];
    const share = button(t(lang, 'wa.button.share'), { kind: 'share', id: rec.id });
    const header = t(lang, 'recommendation.title', { id: rec.id });
    const footer = t(lang, 'wa.share.source');
    if (words.length <= WA_LIMITS.interactiveBody) {
      const back = button(t(lang, 'wa.button.theme', { theme: theme.number }), {
        kind: 'theme',
        theme: theme.number,
        page: 0,
      });
      return [buttons(words, [...nextButton, back, share], header, footer)];
    }
    const note = `\n\n${t(lang, 'wa.cut')}`;
    const room = WA_LIMITS.interactiveBody - note.length - 1;
    const cut = head(words, room);
    const space = cut.lastIndexOf(' ');
    const atWord = (space > room / 2 ? cut.slice(0, space) : cut).trimEnd();
    const full = button(t(lang, 'wa.button.fullText'), { kind: 'fullText', id: rec.id });
    return [buttons(`${atWord}…${note}`, [full, ...nextButton, share], header, footer)];
  };

  const fullText = (rec: Recommendation, lang: Lang): OutgoingMessage[] =>
    text(
      `*${t(lang, 'recommendation.title', { id: rec.id })}*\n\n${reportText(rec)}\n\n_${t(lang, 'recommendation.source')}_`,
    );

  const render = (reply: Reply, lang: Lang, page = 0): OutgoingMessage[] => {
    switch (reply.kind) {
      case 'home':
        return home(lang);
      case 'help':
        return [
          buttons(t(lang, 'help.text'), [
            button(t(lang, 'wa.button.themes'), { kind: 'themes' }),
            button(t(lang, 'wa.button.about'), { kind: 'about' }),
            button(t(lang, 'wa.button.language'), { kind: 'languageMenu' }),
          ]),
        ];
      case 'themes':
        return [themesList(lang, reply.themes, `${t(lang, 'home.title')}\n\n${t(lang, 'wa.themesPrompt')}`)];
      case 'theme':
        return [themePage(lang, reply.theme, reply.recommendations, page)];
      case 'recommendation':
        return recommendation(lang, reply.recommendation, reply.theme);
      case 'searchResults': {
        const lines = [resultsTitle(lang, reply)];
        if (reply.suggestion) lines.push(t(lang, 'search.didYouMean', { suggestion: reply.suggestion }));
        lines.push(t(lang, 'wa.resultsPrompt', { count: reply.hits.length }), `_${t(lang, 'label.ours')}_`);
        // A topic word ("insécurité") offers its theme first, as Telegram does; the hits fill the rest.
        const themeRows = reply.theme ? [themeRow(reply.theme, countOf(reply.theme.number))] : [];
        const hitRows = reply.hits.map((hit) => recommendationRow(hit.recommendation));
        return [
          list(
            lines.join('\n'),
            t(lang, 'wa.list.results'),
            [...themeRows, ...hitRows].slice(0, WA_LIMITS.listRowsTotal),
            { sectionTitle: t(lang, 'wa.list.resultsSection') },
          ),
        ];
      }
      case 'smallTalk':
        // One kind line, with the menu's buttons under it: on a chat app a greeting is how people start.
        return [buttons(t(lang, SMALL_TALK_REPLY[reply.what]), menuButtons(lang))];
      case 'notInReport':
        return text(t(lang, 'search.notInReport', { query: reply.echo }));
      case 'noResults': {
        const lines = [t(lang, 'search.none')];
        if (reply.suggestion) lines.push(t(lang, 'search.didYouMean', { suggestion: reply.suggestion }));
        lines.push(t(lang, 'search.noneHint'));
        return [themesList(lang, reply.themes, lines.join('\n'))];
      }
      case 'outOfRange': {
        const validTheme = reply.theme >= 1 && reply.theme <= reply.themeCount;
        const sentence =
          reply.number !== undefined && validTheme
            ? t(lang, 'outOfRange.recommendation', {
                id: `${reply.theme}.${reply.number}`,
                theme: reply.theme,
                count: reply.maxNumber ?? 0,
              })
            : t(lang, 'outOfRange.theme', { theme: reply.theme, themeCount: reply.themeCount });
        const list = [button(t(lang, 'wa.button.themes'), { kind: 'themes' })];
        if (validTheme)
          list.unshift(
            button(t(lang, 'wa.button.theme', { theme: reply.theme }), {
              kind: 'theme',
              theme: reply.theme,
              page: 0,
            }),
          );
        return [buttons(sentence, list)];
      }
      case 'about': {
        const summary = localized(reply.about.summary, lang);
        return text(`*${t(lang, 'about.title')}*\n\n${summary}\n\n_${t(lang, 'about.ours')}_`);
      }
      case 'optOut':
        return text(t(lang, 'optOut.done'));
      case 'optIn':
        return text(t(lang, 'optIn.done'));
      case 'language':
        return reply.lang ? text(t(reply.lang, 'language.set')) : languageMenu(lang);
      case 'navigation':
        return text(t(lang, reply.direction === 'previous' ? 'nav.atStart' : 'nav.noMore'));
      case 'empty':
        return home(lang);
      case 'callback':
        return text(t(lang, 'callback.unavailable'));
      case 'followUp':
        return text(followUpAnswerLines(reply.answer, lang).join('\n'));
    }
  };

  /**
   * Every language of languages(), each under its own name: reply buttons while they fit (3),
   * a list beyond (10 rows). A new catalog appears here with nothing WhatsApp-specific to do.
   */
  const languageMenu = (lang: Lang): OutgoingMessage[] => {
    const entries = languageEntries();
    const prompt = t(lang, 'language.choose', {
      choices: entries.map((entry) => entry.label).join(' / '),
    });
    if (entries.length <= WA_LIMITS.replyButtons)
      return [
        buttons(
          prompt,
          entries.map((entry) => button(entry.label, { kind: 'language', lang: entry.code })),
        ),
      ];
    return [
      list(
        prompt,
        t(lang, 'wa.button.language'),
        entries.slice(0, WA_LIMITS.listRowsTotal).map((entry) => ({
          id: encodeChoice({ kind: 'language', lang: entry.code }),
          title: fit(entry.label, WA_LIMITS.rowTitle),
        })),
      ),
    ];
  };

  const share = (rec: Recommendation, lang: Lang): OutgoingMessage[] => [
    // With the site, the forwarded message ends on its page's address, previewed by WhatsApp.
    ...withPreview(
      text(
        `*${t(lang, 'recommendation.title', { id: rec.id })}* – ${t(lang, 'app.name')}\n\n${reportText(rec)}\n\n_${t(lang, 'wa.share.source')}_${publicPageBase ? `\n${recommendationUrl(publicPageBase, rec.id, lang)}` : ''}`,
      ),
      Boolean(publicPageBase),
    ),
    ...text(t(lang, 'wa.share.hint')),
  ];

  return { render, fullText, share, after, languageMenu, home, text };
}
