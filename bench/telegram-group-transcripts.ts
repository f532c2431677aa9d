/**
 * Transcripts of issue 37's walks on Telegram: a group of three (Moussa, Fanta, Awa) and a
 * private chat under quick thumbs (Seydou), then inline queries typed key by key. The bot is the
 * real one (createBot, real engine and corpus, the default budgets: 30 messages and 120 reading
 * taps a minute) in front of a small model of Telegram written here: it numbers messages, keeps
 * them as they stand after edits, sends a tapped message back with the tap (with the message it
 * replies to), shows a tap's answer to the tapper only, and runs two taps 80 ms apart at once.
 *
 * Only what exists on main and on issue-37 is used, so the same file runs on both:
 *   npx tsx bench/telegram-group-transcripts.ts "After (issue-37)"
 *   mkdir -p /tmp/base37 && git archive main | tar -x -C /tmp/base37
 *   ln -s "$PWD/node_modules" /tmp/base37/node_modules
 *   cp bench/telegram-group-transcripts.ts /tmp/base37/bench/
 *   (cd /tmp/base37 && npx tsx bench/telegram-group-transcripts.ts "Before (main)")
 * The output (markdown) goes to stdout; bench/telegram-transcripts.md keeps both.
 */
import type { Update } from 'grammy/types';
import { MemorySessionStore } from '../adapters/stores/memory-store.js';
import { MemoryRateLimiter } from '../adapters/stores/rate-limiter.js';
import { createBot } from '../adapters/telegram/bot.js';
import type { AnalyticsEvent } from '../src/ports/index.js';
import { noMetrics } from '../src/ports/index.js';
import { createPseudonymizer } from '../src/privacy/pseudonym.js';
import { expandPeopleFixture, readPeopleFixture } from '../scripts/search-fixtures.js';
import { BOT_INFO, memoryLogger, realEngine } from '../test/support/telegram.js';

type Button = { text: string; callback_data?: string; switch_inline_query?: string; url?: string };
interface Person {
  id: number;
  name: string;
  lang: string;
}
interface Stored {
  id: number;
  chat: number;
  from: string;
  fromId?: number;
  text: string;
  keyboard: Button[][];
  replyTo?: number;
  edits: number;
  date: number;
}

const BOT = `@${BOT_INFO.username}`;
const GROUP = { id: -100777, type: 'supergroup' as const, title: 'Famille Traoré' };
const moussa: Person = { id: 501, name: 'Moussa', lang: 'fr' };
const fanta: Person = { id: 502, name: 'Fanta', lang: 'fr' };
const awa: Person = { id: 503, name: 'Awa', lang: 'fr' };
const seydou: Person = { id: 504, name: 'Seydou', lang: 'fr' };

const plain = (html: string, max = 110): string => {
  const text = html
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s*\n+\s*/g, ' / ');
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
};
const labels = (keyboard: Button[][], max = 6): string => {
  const all = keyboard.flat().map((b) => b.text);
  return all.length === 0 ? '' : ` [${all.slice(0, max).join(' | ')}${all.length > max ? ' …' : ''}]`;
};
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The bot, and Telegram as seen from the chats; `budgets: false` for a measurement of thousands of queries. */
function telegram(options: { budgets?: boolean } = {}) {
  const analytics: AnalyticsEvent[] = [];
  const bot = createBot({
    token: '123:BENCH',
    botInfo: BOT_INFO,
    engine: realEngine(),
    store: new MemorySessionStore(),
    logger: memoryLogger(),
    metrics: noMetrics,
    pseudonymize: createPseudonymizer('bench-key-0123456789abcdef'),
    analytics: { record: (event: AnalyticsEvent) => analytics.push(event) },
    ...(options.budgets === false
      ? {}
      : { limiter: new MemoryRateLimiter(30), readingLimiter: new MemoryRateLimiter(120) }),
  });
  const stored = new Map<number, Stored>();
  const names = new Map<number, string>();
  const log: string[] = [];
  const inline: Array<{ query: string; ids: string[] }> = [];
  let nextId = 10;
  let nextUpdate = 1;
  let tapper = '';
  bot.api.config.use(async (_prev, method, payload) => {
    const p = (payload ?? {}) as Record<string, unknown>;
    const markup = (p.reply_markup as { inline_keyboard?: Button[][] } | undefined)?.inline_keyboard;
    if (method === 'sendMessage') {
      const replyTo = (p.reply_parameters as { message_id?: number } | undefined)?.message_id;
      const m: Stored = {
        id: ++nextId,
        chat: Number(p.chat_id),
        from: 'bot',
        text: String(p.text),
        keyboard: markup ?? [],
        ...(replyTo ? { replyTo } : {}),
        edits: 0,
        date: Math.floor(Date.now() / 1000),
      };
      stored.set(m.id, m);
      const to = replyTo ? stored.get(replyTo) : undefined;
      const threading = to ? `replying to ${to.from}'s #${to.id}` : 'not a reply';
      log.push(`  - bot sends #${m.id} (${threading}): "${plain(m.text)}"${labels(m.keyboard)}`);
      return {
        ok: true,
        result: { message_id: m.id, date: m.date, chat: { id: m.chat, type: 'private' }, text: m.text },
      } as never;
    }
    if (method === 'editMessageText' || method === 'editMessageReplyMarkup') {
      const m = stored.get(Number(p.message_id));
      if (m) {
        const before = `${m.text}${JSON.stringify(m.keyboard)}`;
        if (typeof p.text === 'string') m.text = p.text;
        if (markup) m.keyboard = markup;
        if (`${m.text}${JSON.stringify(m.keyboard)}` === before)
          return { ok: false, error_code: 400, description: 'Bad Request: message is not modified' } as never;
        m.edits++;
        const what = method === 'editMessageText' ? `: "${plain(m.text)}"` : ' (its buttons)';
        log.push(`  - bot edits #${m.id}${what}${labels(m.keyboard)}`);
      }
      return { ok: true, result: true } as never;
    }
    if (method === 'answerCallbackQuery') {
      if (p.text) log.push(`  - only ${tapper} sees: "${String(p.text)}"`);
      return { ok: true, result: true } as never;
    }
    if (method === 'answerInlineQuery') {
      const results = (p.results as Array<{ id: string }>) ?? [];
      inline.push({ query: '', ids: results.map((r) => r.id) });
      return { ok: true, result: true } as never;
    }
    return { ok: true, result: true } as never;
  });

  const chatOf = (who: Person, where?: typeof GROUP) =>
    where ?? { id: who.id, type: 'private' as const, first_name: who.name };
  const from = (who: Person) => ({
    id: who.id,
    is_bot: false,
    first_name: who.name,
    language_code: who.lang,
  });
  const handle = (update: Omit<Update, 'update_id'>) =>
    bot.handleUpdate({ update_id: nextUpdate++, ...update } as Update);

  const messageOf = (who: Person, text: string, where?: typeof GROUP) => {
    const id = ++nextId;
    const date = Math.floor(Date.now() / 1000);
    const entities = [];
    const command = /^\/\S+/.exec(text);
    if (command) entities.push({ type: 'bot_command', offset: 0, length: command[0].length });
    else if (text.includes(BOT))
      entities.push({ type: 'mention', offset: text.indexOf(BOT), length: BOT.length });
    stored.set(id, {
      id,
      chat: chatOf(who, where).id,
      from: who.name,
      fromId: who.id,
      text,
      keyboard: [],
      edits: 0,
      date,
    });
    names.set(who.id, who.name);
    return {
      message_id: id,
      date,
      chat: chatOf(who, where),
      from: from(who),
      text,
      ...(entities.length ? { entities } : {}),
    };
  };

  const tapUpdate = (who: Person, on: number, pick: string) => {
    const m = stored.get(on)!;
    const button = m.keyboard
      .flat()
      .find((b) => b.text === pick || b.text.startsWith(pick) || b.callback_data?.startsWith(pick));
    if (!button?.callback_data) throw new Error(`no button "${pick}" on #${on}`);
    const asked = m.replyTo ? stored.get(m.replyTo) : undefined;
    const chat = m.chat === GROUP.id ? GROUP : { id: m.chat, type: 'private' as const, first_name: who.name };
    return {
      update: {
        callback_query: {
          id: `cb${nextUpdate}`,
          from: from(who),
          chat_instance: 'ci',
          data: button.callback_data,
          message: {
            message_id: m.id,
            date: m.date,
            chat,
            from: BOT_INFO,
            text: m.text,
            reply_markup: { inline_keyboard: m.keyboard },
            ...(asked
              ? {
                  reply_to_message: {
                    message_id: asked.id,
                    date: asked.date,
                    chat,
                    from: { id: asked.fromId, is_bot: false, first_name: asked.from },
                    text: asked.text,
                  },
                }
              : {}),
          },
        },
      } as Omit<Update, 'update_id'>,
      label: button.text,
      owner: asked?.from ?? (m.chat > 0 ? names.get(m.chat) : undefined),
    };
  };

  return {
    log,
    stored,
    analytics,
    inline,
    async say(who: Person, text: string, where?: typeof GROUP) {
      const message = messageOf(who, text, where);
      log.push(`- **${who.name}** writes #${message.message_id}: "${text}"`);
      const before = log.length;
      await handle({ message } as Omit<Update, 'update_id'>);
      if (log.length === before) log.push('  - (no answer)');
      return message.message_id;
    },
    async edit(who: Person, id: number, text: string, where?: typeof GROUP) {
      const m = stored.get(id)!;
      m.text = text;
      const entities = text.includes(BOT)
        ? [{ type: 'mention', offset: text.indexOf(BOT), length: BOT.length }]
        : [];
      log.push(`- **${who.name}** corrects #${id} to "${text}"`);
      const before = log.length;
      await handle({
        edited_message: {
          message_id: id,
          date: m.date - 20,
          edit_date: m.date,
          chat: chatOf(who, where),
          from: from(who),
          text,
          entities,
        },
      } as Omit<Update, 'update_id'>);
      if (log.length === before) log.push('  - (no answer)');
    },
    async tap(who: Person, on: number, pick: string) {
      const { update, label, owner } = tapUpdate(who, on, pick);
      log.push(
        `- **${who.name}** taps [${label}] on #${on}${owner && owner !== who.name ? ` (the menu ${owner} opened)` : ''}`,
      );
      tapper = who.name;
      await handle(update);
    },
    /** Two taps on one button 80 ms apart, handled at once as Telegram delivers them. */
    async doubleTap(who: Person, on: number, pick: string) {
      const first = tapUpdate(who, on, pick);
      const second = tapUpdate(who, on, pick);
      log.push(`- **${who.name}** taps [${first.label}] on #${on} twice, 80 ms apart`);
      tapper = who.name;
      await Promise.all([handle(first.update), pause(80).then(() => handle(second.update))]);
    },
    quietTap: async (who: Person, on: number, pick: string) => {
      tapper = who.name;
      await handle(tapUpdate(who, on, pick).update);
    },
    async typeInline(who: Person, query: string) {
      await handle({ inline_query: { id: `iq${nextUpdate}`, from: from(who), query, offset: '' } } as Omit<
        Update,
        'update_id'
      >);
      const answer = inline.at(-1)!;
      answer.query = query;
      return answer.ids;
    },
    botMessages: (chat: number) => [...stored.values()].filter((m) => m.chat === chat && m.from === 'bot'),
  };
}

async function groupConversation(out: string[]): Promise<void> {
  const tg = telegram();
  out.push('### A group conversation (Moussa, Fanta, Awa; Telegram in French for all three)', '');
  const list = await tg.say(moussa, `${BOT} femmes`, GROUP);
  await tg.say(fanta, `/language@${BOT_INFO.username} en`, GROUP);
  await tg.say(moussa, `${BOT} 2.15`, GROUP);
  await tg.say(moussa, `/themes@${BOT_INFO.username}`, GROUP);
  const menu = tg.botMessages(GROUP.id).at(-1)!.id;
  await tg.tap(fanta, menu, '3.');
  const listAnswer = tg.botMessages(GROUP.id).find((m) => m.replyTo === list || m.id === list + 1)!;
  await tg.tap(fanta, listAnswer.id, '▶');
  await tg.say(awa, `Moussa tu peux demander à ${BOT} pour la santé ?`, GROUP);
  const typo = await tg.say(awa, `${BOT} 1.100`, GROUP);
  await tg.edit(awa, typo, `${BOT} 1.10`, GROUP);
  const sent = tg.botMessages(GROUP.id);
  const asked = new Map([...tg.stored.values()].filter((m) => m.from !== 'bot').map((m) => [m.id, m]));
  const threaded = sent.filter((m) => m.replyTo !== undefined && asked.has(m.replyTo)).length;
  const rewritten = tg.log.filter((l) => l.startsWith('  - bot edits')).length;
  out.push(
    ...tg.log,
    '',
    `Summary: ${sent.length} bot messages in the group, ${threaded} of them replies to the asker's message; ` +
      `${rewritten} of the bot's messages rewritten by a tap of someone who had not opened them.`,
    '',
  );
}

async function quickThumbs(out: string[]): Promise<void> {
  const tg = telegram();
  out.push('### Quick thumbs (Seydou, in a private chat)', '');
  await tg.say(seydou, '/theme 4');
  const list = tg.botMessages(seydou.id).at(-1)!.id;
  await tg.doubleTap(seydou, list, '4.1 ');
  const opened = tg.botMessages(seydou.id).filter((m) => m.text.includes('Recommandation 4.1<'));
  const reco = opened[0]!.id;
  await tg.doubleTap(seydou, reco, '👍');
  await tg.tap(seydou, reco, '🤔');
  const reactions = tg.analytics.filter((e) => e.type === 'feedback').length;
  await tg.doubleTap(seydou, list, '▶');
  out.push(...tg.log);
  // Theme 4 read with ▶ from 4.1 to its end: only the count of messages is shown.
  const before = tg.botMessages(seydou.id).length;
  let current = reco;
  let read = 1;
  for (;;) {
    const m = tg.stored.get(current)!;
    const next = m.keyboard.flat().find((b) => b.text.endsWith('▶'));
    if (!next) break;
    const count = tg.botMessages(seydou.id).length;
    await tg.quietTap(seydou, current, next.text);
    const now = tg.botMessages(seydou.id);
    current = now.length > count ? now.at(-1)!.id : current;
    read++;
    if (read > 100) break;
  }
  const last = /Recommandation (\d\.\d+)/.exec(tg.stored.get(current)!.text)?.[1];
  out.push(
    `- **Seydou** reads theme 4 with ▶ from 4.1: ${read} recommendations read, the last shown ${last}; ` +
      `${tg.botMessages(seydou.id).length - before} new messages in the chat`,
    '',
    `Summary: recommendation 4.1 sent ${opened.length} time(s) for one double tap; ${reactions} reaction(s) ` +
      `counted for a double 👍 and a 🤔 on 4.1; ${tg.botMessages(seydou.id).length} bot messages in the chat at the end.`,
    '',
  );
}

async function inlineTyping(out: string[]): Promise<void> {
  const tg = telegram();
  out.push('### Inline queries typed key by key (`@bot …`, first batch of results)', '');
  const women = realEngine()
    .search('femmes', 50)
    .hits.map((h) => h.recommendation.id);
  const row: string[] = [];
  for (const q of ['f', 'fe', 'fem', 'femm', 'femme', 'femmes']) {
    const ids = await tg.typeInline(seydou, q);
    row.push(`\`${q}\` ${ids.length} (${ids.filter((id) => women.includes(id)).length} on women)`);
  }
  out.push(`- ${row.join(' · ')}`);
  const typed = 'réconciliation nationale';
  const counts: string[] = [];
  for (let k = 1; k <= typed.length; k++)
    counts.push(String((await tg.typeInline(seydou, typed.slice(0, k))).length));
  out.push(`- \`${typed}\`, one count per key: ${counts.join(' ')}`);
  // Every prefix of the held-out queries of the search fixture that the search answers whole
  // (thousands of queries from one person: without the per-person budgets).
  const unlimited = telegram({ budgets: false });
  const engine = realEngine();
  const queries = expandPeopleFixture(readPeopleFixture('test/fixtures/search-people.json'), engine.corpus)
    .filter((q) => q.split === 'heldout' && q.ids.length > 0)
    .map((q) => q.q)
    .filter((q) => engine.search(q).hits.length > 0);
  let steps = 0;
  let empty = 0;
  for (const query of queries)
    for (let k = 1; k < query.length; k++) {
      steps++;
      if ((await unlimited.typeInline(seydou, query.slice(0, k))).length === 0) empty++;
    }
  out.push(
    `- the ${queries.length} held-out fixture queries that find something, typed key by key: ${empty} of ${steps} ` +
      `steps (${((100 * empty) / steps).toFixed(1)}%) answered "no recommendation found"`,
    '',
  );
}

async function main(): Promise<void> {
  const title = process.argv[2] ?? 'transcript';
  const out: string[] = [`## ${title}`, ''];
  await groupConversation(out);
  await quickThumbs(out);
  await inlineTyping(out);
  process.stdout.write(`${out.join('\n')}\n`);
}

void main();
