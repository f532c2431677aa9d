import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderSms, smsBody, smsText } from '../adapters/sms/render.js';
import { layOut } from '../adapters/telegram/layout.js';
import { telegramSurface } from '../adapters/telegram/render.js';
import { render as ussdRender, transition } from '../adapters/ussd/menu.js';
import type { UssdContext } from '../adapters/ussd/types.js';
import type { OutgoingMessage } from '../adapters/whatsapp/limits.js';
import { createWhatsAppRenderer, WHATSAPP_SURFACE } from '../adapters/whatsapp/render.js';
import { loadCorpus } from '../src/content/load.js';
import { installTranslations } from '../src/content/localized.js';
import type { Corpus } from '../src/content/schema.js';
import { createEngine } from '../src/core/engine.js';
import type { Lang, Reply } from '../src/core/types.js';
import type { FollowUpAnswer } from '../src/followup/turn.js';
import type { MessageKey } from '../src/i18n/index.js';
import { initialState, type MenuState } from '../src/menu/index.js';
import {
  expiredPlan,
  lastPlan,
  noticePlan,
  plannerFor,
  promptPlan,
  reportTextPlan,
  sharePlan,
  TYPED,
  tooLongPlan,
  unsupportedPlan,
  usagePlan,
  type ReplyPlan,
  type Surface,
} from '../src/reply/index.js';
import { themePromptKey, voicePromptKeys, voicePromptText } from '../src/reply/voice.js';
import { createSearcher, loadLexicon } from '../src/search/index.js';
import { createFrenchDetector, type FrenchLeak } from './support/french-leaks.js';

/**
 * Issue 30, point 1: every reply kind, worded once (src/reply), laid out by every channel in
 * French, English and Bambara; no French of ours in an English or Bambara reply. The report's own
 * words (a recommendation's text and items, a theme's title) are exempt: they are French, and
 * marked as the report's. What counts as French is read from our own French files
 * (test/support/french-leaks.ts), so a new French sentence is checked without updating a list.
 */

const corpus = loadCorpus('content/recommendations.json');
const engine = createEngine(corpus, createSearcher(corpus, loadLexicon('content/lexicon.json')));
const detector = createFrenchDetector();
const OTHERS: Lang[] = ['en', 'bm'];
const LANGS: Lang[] = ['fr', ...OTHERS];

// What is served: the translations of content/translations (labels, names, summaries), drafts too.
beforeAll(() => installTranslations('content/translations', corpus, true));
afterAll(() => installTranslations('content/translations/.none', {} as Corpus, true));

const followUpEntry = {
  recommendationId: '2.10',
  status: 'in_progress' as const,
  date: '2025-11-03',
  source: 'https://www.primature.gov.ml/communique',
  note: 'Observatoire annoncé.',
  editor: 'awa',
  version: 1,
  publishedAt: '2025-11-04T10:00:00.000Z',
};

const FOLLOW_UP_ANSWERS: FollowUpAnswer[] = [
  { kind: 'followUp', recommendationId: '2.10', entry: followUpEntry },
  { kind: 'followUp', recommendationId: '2.11', entry: null },
  { kind: 'followUpGeneral', published: 3 },
  { kind: 'outOfRange', theme: 2, number: 99, themeCount: 5, count: 51 },
  { kind: 'subscriptionsUnavailable' },
  { kind: 'subscribe', result: { outcome: 'subscribed', theme: null } },
  { kind: 'subscribe', result: { outcome: 'subscribed', theme: 3 } },
  { kind: 'subscribe', result: { outcome: 'optedOut' } },
  { kind: 'subscribe', result: { outcome: 'badTheme', theme: 9, themeCount: 5 } },
  { kind: 'unsubscribe', result: { outcome: 'unsubscribed', theme: null } },
  { kind: 'unsubscribe', result: { outcome: 'notSubscribed' } },
];

/** One reply or more of every kind the engine and the follow-up answer with. */
function sampleReplies(): Reply[] {
  const rec = (id: string): Reply => {
    const recommendation = engine.recommendation(id)!;
    return { kind: 'recommendation', recommendation, theme: engine.theme(recommendation.theme)! };
  };
  return [
    { kind: 'help' },
    { kind: 'home' },
    engine.respond({ kind: 'themes' }),
    ...[1, 2, 3, 4, 5].map((theme) => engine.respond({ kind: 'theme', theme })),
    rec('2.15'),
    rec('4.80'),
    rec('4.57'),
    { ...rec('2.10'), followUp: followUpEntry } as Reply,
    { ...rec('1.1'), reportText: true } as Reply,
    engine.answer('femmes'),
    engine.answer('eau potable'),
    engine.answer('insécurité'),
    engine.answer('corupsion'),
    engine.answer('xqzw kpvt'),
    { kind: 'noResults', query: 'corupsion qqqq', suggestion: 'corruption', themes: corpus.themes },
    engine.answer('la météo demain'),
    { kind: 'smallTalk', what: 'greeting' },
    { kind: 'smallTalk', what: 'thanks' },
    { kind: 'smallTalk', what: 'ack' },
    engine.answer('300'),
    engine.answer('10'),
    engine.respond({ kind: 'recommendation', theme: 2, number: 99 }),
    engine.respond({ kind: 'theme', theme: 9 }),
    engine.respond({ kind: 'about' }),
    { kind: 'navigation', direction: 'next' },
    { kind: 'navigation', direction: 'back' },
    { kind: 'optOut' },
    { kind: 'optIn' },
    { kind: 'language', lang: null },
    { kind: 'language', lang: 'en' },
    { kind: 'language', lang: 'bm' },
    { kind: 'callback' },
    { kind: 'empty' },
    ...FOLLOW_UP_ANSWERS.map((answer): Reply => ({ kind: 'followUp', answer })),
  ];
}

/** Every kind of Reply: the compiler fails here when a kind is added without being sampled. */
const EVERY_KIND: Record<Reply['kind'], true> = {
  help: true,
  home: true,
  themes: true,
  theme: true,
  recommendation: true,
  searchResults: true,
  smallTalk: true,
  notInReport: true,
  noResults: true,
  outOfRange: true,
  about: true,
  navigation: true,
  optOut: true,
  optIn: true,
  language: true,
  callback: true,
  followUp: true,
  empty: true,
};

/** The use case's notices (src/conversation) and the chats' own situations, as plans. */
const NOTICES: Array<[MessageKey, Record<string, string | number>?]> = [
  ['feedback.thanks', { id: '2.15' }],
  ['feedback.usage'],
  ['message.tooLong'],
  ['optOut.done'],
  ['subscribe.optedOut'],
  ['unsubscribe.stopped'],
  ['wrong.nothing'],
  ['wrong.thanks'],
  ['pick.none'],
  ['pick.range', { count: 5 }],
  ['context.none'],
  ['callback.queued'],
  ['callback.limit'],
  ['callback.unavailable'],
];

function situations(lang: Lang, surface: Surface): ReplyPlan[] {
  const rec = engine.recommendation('2.15')!;
  const share = sharePlan(rec, lang);
  return [
    ...NOTICES.map(([key, params]) => noticePlan(key, params, lang, surface)),
    ...(['voice', 'media', 'sticker', 'location', 'other'] as const).map((what) =>
      unsupportedPlan(what, lang, '+223 20 00 00 00'),
    ),
    expiredPlan(lang),
    promptPlan('search', lang),
    promptPlan('number', lang),
    usagePlan('reco', lang, 5),
    usagePlan('theme', lang, 5),
    lastPlan(lang),
    tooLongPlan(lang),
    reportTextPlan(rec, lang),
    share.message,
    share.hint,
  ];
}

const html = (text: string) =>
  text
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

/** What a WhatsApp message shows: header, body, footer, list button, sections, rows, buttons. */
function whatsappText(messages: OutgoingMessage[]): string {
  return messages
    .flatMap((message) => {
      if (message.type === 'text') return [message.text.body];
      if (message.type !== 'interactive') return [];
      const i = message.interactive;
      const parts = [i.header?.type === 'text' ? i.header.text : '', i.body.text, i.footer?.text ?? ''];
      if (i.type === 'list')
        parts.push(
          i.action.button,
          ...i.action.sections.flatMap((s) => [
            s.title ?? '',
            ...s.rows.flatMap((r) => [r.title, r.description ?? '']),
          ]),
        );
      else parts.push(...i.action.buttons.map((b) => b.reply.title));
      return parts;
    })
    .filter((part) => part !== '')
    .join('\n');
}

const BOT = 'DialogueBot';
const telegram = telegramSurface(BOT);
const whatsapp = createWhatsAppRenderer(engine);
const planner = () => plannerFor(engine);

/** Each channel: every reply and situation laid out in `lang`, as the person reads it. */
const CHANNELS: Record<string, (lang: Lang) => Array<{ what: string; text: string }>> = {
  // The whole text of each reply as SMS writes it (fast), and the real pages of a few long
  // answers, with their counters, "send NEXT" and introductions.
  sms: (lang) => [
    ...sampleReplies().map((reply) => ({
      what: reply.kind,
      text: smsText(smsBody(reply, lang, engine), lang),
    })),
    ...sampleReplies()
      .filter((reply) => reply.kind === 'about' || (reply.kind === 'theme' && reply.theme.number === 4))
      .map((reply) => ({
        what: `${reply.kind} pages`,
        text: renderSms(reply, lang, { maxSegments: 2, engine }).join('\n'),
      })),
    ...situations(lang, TYPED).map((plan) => ({ what: plan.kind, text: smsPlanText(plan) })),
  ],
  telegram: (lang) =>
    [
      ...sampleReplies().map((reply) => planner().plan(reply, lang, telegram)),
      ...situations(lang, telegram),
    ].map((plan) => {
      const rendered = layOut(plan, lang, {
        token: 'tok',
        paging: { page: 0, at: () => ({ kind: 'home' }) },
      });
      const buttons = (rendered.keyboard ?? []).flat().map((b) => b.text);
      return { what: plan.kind, text: [html(rendered.text), ...buttons].join('\n') };
    }),
  whatsapp: (lang) => [
    ...sampleReplies().map((reply) => ({
      what: reply.kind,
      text: whatsappText(whatsapp.render(reply, lang)),
    })),
    ...situations(lang, WHATSAPP_SURFACE).map((plan) => ({
      what: plan.kind,
      text: whatsappText(whatsapp.plan(plan, lang)),
    })),
  ],
  ussd: (lang) => ussdScreens(lang).map((text) => ({ what: text.split('\n')[0]!, text })),
  voice: (lang) =>
    [...voicePromptKeys(), ...corpus.themes.map((theme) => themePromptKey(theme.number))].map((key) => ({
      what: key,
      text: voicePromptText(key, lang, corpus).text,
    })),
};

/** A plan's lines and list as SMS writes them (the situations that are no engine reply). */
const smsPlanText = (plan: ReplyPlan) =>
  [
    ...plan.lines.map((line) => line.text),
    ...(plan.list?.entries.map((entry) => entry.label) ?? []),
    plan.list?.choose ?? '',
    ...(plan.after ?? []).map((line) => line.text),
  ].join('\n');

const ussdCtx: UssdContext = {
  engine,
  maxChars: 160,
  alphabet: 'gsm',
  keys: { back: '0', home: '00', more: '98', sms: '9', resume: '6', feedback: '8', text: '7' },
  smsEnabled: true,
};

/**
 * Every USSD screen a person reaches from the home screen in `lang` within a few steps: the
 * numbered choices each screen shows, "more" (98), and at a prompt a word, a number and nonsense.
 */
function ussdScreens(lang: Lang): string[] {
  const typed = ['eau', '215', 'xqzw', '999', '480'];
  const seen = new Map<string, string>();
  let frontier: Array<{ state: MenuState; depth: number }> = [{ state: initialState(lang), depth: 0 }];
  while (frontier.length > 0 && seen.size < 600) {
    const next: typeof frontier = [];
    for (const { state, depth } of frontier) {
      const { text } = ussdRender(state, ussdCtx);
      const key = JSON.stringify(state);
      if (seen.has(key)) continue;
      seen.set(key, text);
      if (depth >= 5) continue;
      const choices = [...text.matchAll(/^(\d+) /gm)].map((m) => m[1]!);
      // A prompt (no numbered choices but navigation) takes typed words.
      const inputs = choices.length <= 3 ? [...choices, ...typed] : choices.slice(0, 6);
      for (const input of new Set(inputs)) {
        const moved = transition(state, input, ussdCtx).state;
        // Choosing another language on the language screen leaves this language's screens.
        if (moved.lang === lang) next.push({ state: moved, depth: depth + 1 });
      }
    }
    frontier = next;
  }
  return [...seen.values()];
}

const describeLeaks = (leaks: Array<FrenchLeak & { channel: string; what: string }>) =>
  leaks.map((leak) => `${leak.channel} ${leak.what} (${leak.source}): "${leak.run}" in "${leak.line}"`);

describe('one voice: every reply kind on every channel in the person’s language (issue 30)', () => {
  it('when the sample is built, then it holds every kind of reply there is', () => {
    const kinds = new Set(sampleReplies().map((reply) => reply.kind));
    expect([...kinds].sort()).toEqual(Object.keys(EVERY_KIND).sort());
  });

  for (const lang of OTHERS)
    for (const channel of Object.keys(CHANNELS))
      it(`when every reply is laid out by ${channel} in ${lang}, then no French of ours is in it`, () => {
        const rendered = CHANNELS[channel]!(lang);
        expect(rendered.length).toBeGreaterThan(10);
        const leaks = rendered.flatMap(({ what, text }) =>
          detector.find(text, lang).map((leak) => ({ ...leak, channel, what })),
        );
        expect(describeLeaks(leaks)).toEqual([]);
      });

  it('when the French replies are read as if they were English, then the detector finds French on every channel (the check can fail)', () => {
    for (const channel of Object.keys(CHANNELS)) {
      const french = CHANNELS[channel]!('fr')
        .map(({ text }) => text)
        .join('\n');
      expect(detector.find(french, 'en').length, channel).toBeGreaterThan(3);
    }
  });

  it('when every reply is laid out in each language, then none is empty and the report’s words are kept, marked as the report’s', () => {
    for (const lang of LANGS)
      for (const channel of Object.keys(CHANNELS)) {
        const rendered = CHANNELS[channel]!(lang);
        for (const { what, text } of rendered) expect(text.trim(), `${channel} ${lang} ${what}`).not.toBe('');
      }
    // The USSD walk reaches the menus, the themes, results, recommendations and About.
    expect(CHANNELS.ussd!('en').length).toBeGreaterThan(100);
    // 2.15's text asked in English: the report's words, verbatim (French), as a `report` line.
    const rec = engine.recommendation('2.15')!;
    const reply: Reply = {
      kind: 'recommendation',
      recommendation: rec,
      theme: engine.theme(2)!,
      reportText: true,
    };
    for (const surface of [telegram, WHATSAPP_SURFACE, TYPED])
      expect(
        planner()
          .plan(reply, 'en', surface)
          .lines.some((line) => line.tone === 'report' && line.text === rec.text),
      ).toBe(true);
  });
});
