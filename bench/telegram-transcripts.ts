/**
 * Transcripts of the Telegram walks of issue 21 (open 2.15 → Thème → Menu, a voice note, a photo
 * captioned "eau", a group message, "300", theme 4 read with ▶ to the end), as the Bot API sees
 * them: each update, then each call the bot made (method, text, button labels). Run with
 * `npx tsx bench/telegram-transcripts.ts <title>`; the output (markdown) goes to stdout.
 * The bot runs over the real engine with the default budgets: 30 messages a minute per person and
 * (since issue 21) 120 reading taps a minute (TELEGRAM_READING_PER_MINUTE).
 */
import type { Update } from 'grammy/types';
import { MemoryRateLimiter } from '../adapters/stores/rate-limiter.js';
import { botHarness, buttonsOf, USER, type ApiCall } from '../test/support/telegram.js';

type Step = Omit<Update, 'update_id'>;
const chat = { id: USER.id, type: 'private' as const, first_name: USER.first_name };
let nextId = 500;

function message(extra: Record<string, unknown>, where: object = chat): Step {
  return { message: { message_id: nextId++, date: 0, chat: where, from: USER, ...extra } } as Step;
}

/** A tap on a button of a message the bot sent (Telegram sends that message back with the tap). */
function tap(on: ApiCall, data: string): Step {
  return {
    callback_query: {
      id: `cb${nextId++}`,
      from: USER,
      chat_instance: 'ci',
      data,
      message: {
        message_id: Number(on.payload.message_id ?? 0) || 9000,
        date: 0,
        chat,
        text: String(on.payload.text),
        reply_markup: on.payload.reply_markup,
      },
    },
  } as Step;
}

function describeCall(call: ApiCall): string {
  const text = call.payload.text ? ` ${JSON.stringify(String(call.payload.text).slice(0, 160))}` : '';
  const extra =
    call.method === 'answerCallbackQuery' && call.payload.text ? ` ${JSON.stringify(call.payload.text)}` : '';
  const labels = buttonsOf(call).map((b) => String(b.text));
  const buttons =
    labels.length > 0 ? ` [${labels.slice(0, 12).join(' | ')}${labels.length > 12 ? ' …' : ''}]` : '';
  return `  - ${call.method}${call.payload.message_id ? ` (message ${String(call.payload.message_id)})` : ''}${text}${extra}${buttons}`;
}

async function main(): Promise<void> {
  const title = process.argv[2] ?? 'transcript';
  const h = botHarness({ limiter: new MemoryRateLimiter(30), readingLimiter: new MemoryRateLimiter(120) });
  const out: string[] = [`## ${title}`, ''];
  let sentMessages = 0;
  const withIds = (calls: ApiCall[]) =>
    calls.map((c) =>
      c.method === 'sendMessage' ? { ...c, payload: { ...c.payload, message_id: 1000 + ++sentMessages } } : c,
    );
  const step = async (label: string, update: Step, quiet = false) => {
    const calls = withIds(await h.send(update));
    if (!quiet)
      out.push(
        `- **${label}**`,
        ...(calls.length > 0 ? calls.map(describeCall) : ['  - (no API call: the bot stays silent)']),
      );
    return calls;
  };
  const lastMessage = (calls: ApiCall[]) =>
    [...calls].reverse().find((c) => c.method === 'sendMessage' || c.method === 'editMessageText')!;

  out.push('### open 2.15 → Thème → Menu', '');
  let calls = await step('types 2.15', message({ text: '2.15' }));
  const reco = lastMessage(calls);
  calls = await step('taps ↩️ Thème 2 on the recommendation', tap(reco, 't:2:1'));
  const themeMsg = lastMessage(calls);
  await step('taps 🏠 Menu on that message', tap(themeMsg, 'h'));
  out.push('');

  out.push('### a voice note', '');
  await step('sends a voice note', message({ voice: { file_id: 'v', file_unique_id: 'v', duration: 4 } }));
  out.push('', '### a photo captioned eau', '');
  await step(
    'sends a photo captioned "eau"',
    message({ photo: [{ file_id: 'p', file_unique_id: 'p', width: 90, height: 90 }], caption: 'eau' }),
  );
  out.push('', '### a group message', '');
  await step(
    'writes "bonjour à tous" in a group',
    message({ text: 'bonjour à tous' }, { id: -100123, type: 'supergroup', title: 'Famille' }),
  );
  out.push('', '### 300', '');
  await step('types 300', message({ text: '300' }));

  out.push('', '### reading theme 4 with ▶ to the end', '');
  const h2 = botHarness({ limiter: new MemoryRateLimiter(30), readingLimiter: new MemoryRateLimiter(120) });
  const first = (await h2.send(message({ text: '4.1' }))).find((c) => c.method === 'sendMessage')!;
  let current: ApiCall = first;
  let read = 1;
  let refused = '';
  for (;;) {
    const next = buttonsOf(current).find((b) => String(b.text).endsWith('▶'));
    if (!next) break;
    const result = await h2.send(tap(current, String(next.callback_data)));
    const shown = lastMessage(result);
    const answer = result.find((c) => c.method === 'answerCallbackQuery');
    if (!shown) {
      refused = String(answer?.payload.text ?? 'no answer');
      break;
    }
    current = shown;
    read++;
  }
  const lastTitle = /Recommandation (\d+\.\d+)/.exec(String(current.payload.text))?.[1];
  out.push(
    `- opened 4.1, then tapped ▶ until there was none: ${read} recommendations read, last shown ${lastTitle}` +
      (refused ? `; stopped by the bot: ${JSON.stringify(refused)}` : ''),
  );
  out.push('');
  process.stdout.write(`${out.join('\n')}\n`);
}

void main();
