/**
 * The bot in a terminal: `npm run chat` (USSD) or `npm run chat -- --channel sms`.
 *
 * Starts the real service in-process on a free port with embedded defaults (memory store, SMS
 * replies to the memory outbox, silent logs) and talks to it over HTTP through the same routes
 * a gateway uses: POST /ussd in Africa's Talking's dialect, POST /sms then GET /dev/outbox.
 * Reads lines from stdin (a readline prompt in a terminal, or piped input), prints screens and
 * replies to stdout, and exits 0 on EOF or /quit.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { createLogger } from '../adapters/logging.js';
import { createService } from '../adapters/service.js';
import { loadConfig } from '../src/config.js';
import type { Lang } from '../src/core/types.js';
import { isLang, languageCodes, t } from '../src/i18n/index.js';
import { gsm7Length } from '../src/text/gsm7.js';

const USAGE =
  'usage: npm run chat -- [--channel ussd|sms] [--lang <code>] [--phone +22370000001] [--code *384*12#]';
/** Settings a tester may still want from the environment; everything else is embedded. */
const PASSED_THROUGH = [
  'CONTENT_FILE',
  'LEXICON_FILE',
  'USSD_MAX_CHARS',
  'USSD_ALPHABET',
  'USSD_KEY_BACK',
  'USSD_KEY_HOME',
  'USSD_KEY_MORE',
  'SMS_MAX_SEGMENTS',
];
const OUTBOX_WAIT_MS = 5_000;
const OUTBOX_SETTLE_MS = 150;

interface Options {
  channel: 'ussd' | 'sms';
  lang: Lang;
  phone: string;
  code: string;
  shortcode: string;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      channel: { type: 'string', default: 'ussd' },
      lang: { type: 'string', default: 'fr' },
      phone: { type: 'string', default: '+22370000001' },
      code: { type: 'string', default: '*384*12#' },
      shortcode: { type: 'string', default: '36000' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  if (values.channel !== 'ussd' && values.channel !== 'sms') throw new Error(`--channel must be ussd or sms`);
  if (!isLang(values.lang)) throw new Error(`--lang must be one of ${languageCodes().join(', ')}`);
  if (!/^\*[0-9*]*[0-9]#$/.test(values.code)) throw new Error('--code must look like *384*12#');
  return {
    channel: values.channel,
    lang: values.lang,
    phone: values.phone,
    code: values.code,
    shortcode: values.shortcode,
  };
}

interface Transport {
  post(path: string, fields: Record<string, string>): Promise<{ status: number; body: string }>;
  get(path: string): Promise<{ status: number; body: string }>;
}

function http(baseUrl: string): Transport {
  return {
    async post(path, fields) {
      const response = await fetch(`${baseUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields),
      });
      return { status: response.status, body: await response.text() };
    },
    async get(path) {
      const response = await fetch(`${baseUrl}${path}`, { headers: { accept: 'application/json' } });
      return { status: response.status, body: await response.text() };
    },
  };
}

/** What a dial string sends as the first `text`: *384*12*3*215# is *384*12# with "3*215" typed. */
function dialText(dialed: string, serviceCode: string): string | undefined {
  if (!/^\*[0-9*]*[0-9]#$/.test(dialed)) return undefined;
  if (dialed === serviceCode) return '';
  const base = serviceCode.replace(/#$/, '');
  return dialed.startsWith(`${base}*`) ? dialed.slice(base.length + 1, -1) : undefined;
}

/** One USSD handset: a session id per dial, the inputs so far, and whether the last screen was END. */
function ussdChat(transport: Transport, options: Options, maxChars: number, print: (text: string) => void) {
  let sessionId = '';
  let typed = '';
  let open = false;
  let sessions = 0;

  async function hop(text: string): Promise<void> {
    const { status, body } = await transport.post('/ussd', {
      sessionId,
      serviceCode: options.code,
      phoneNumber: options.phone,
      networkCode: '99999',
      text,
    });
    const kind = status === 200 ? body.slice(0, 4) : '';
    if (kind !== 'CON ' && kind !== 'END ') {
      open = false;
      print(t(options.lang, 'web.chat.gatewayError', { status }));
      return;
    }
    const screen = body.slice(4);
    print(`${screen}\n[${kind.trim()} ${gsm7Length(screen)}/${maxChars}]`);
    open = kind === 'CON ';
    typed = text;
    if (!open) print(t(options.lang, 'web.chat.ended'));
  }

  async function dial(text: string): Promise<void> {
    sessionId = `chat-${process.pid}-${++sessions}-${Date.now().toString(36)}`;
    typed = '';
    await hop(text);
  }

  return {
    dial,
    async line(input: string): Promise<void> {
      if (input.startsWith('/dial')) {
        const code = input.slice(5).trim() || options.code;
        const text = dialText(code, options.code);
        if (text === undefined)
          print(t(options.lang, 'web.phone.unknownCode', { dialed: code, code: options.code }));
        else await dial(text);
        return;
      }
      if (!open) {
        // After END: Enter redials; a dial string or choices redial straight to them.
        const text = input.startsWith('*') ? dialText(input, options.code) : input;
        if (text === undefined)
          print(t(options.lang, 'web.phone.unknownCode', { dialed: input, code: options.code }));
        else await dial(text);
        return;
      }
      await hop(typed === '' ? input : `${typed}*${input}`);
    },
  };
}

interface OutboxEntry {
  text?: string;
  segments?: number;
  encoding?: string;
}

function smsChat(transport: Transport, options: Options, print: (text: string) => void) {
  let messages = 0;
  const readOutbox = async (): Promise<OutboxEntry[]> => {
    const { status, body } = await transport.get('/dev/outbox');
    if (status !== 200) throw new Error(`GET /dev/outbox answered ${status}`);
    const parsed: unknown = JSON.parse(body);
    return Array.isArray(parsed) ? (parsed as OutboxEntry[]) : [];
  };

  return {
    async line(input: string): Promise<void> {
      if (input === '') return;
      const before = (await readOutbox()).length;
      const { status, body } = await transport.post('/sms', {
        from: options.phone,
        to: options.shortcode,
        text: input,
        date: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
        id: `chat-${process.pid}-${++messages}`,
        linkId: `${Date.now()}`,
        networkCode: '99999',
      });
      if (status >= 300) {
        print(t(options.lang, 'web.sms.error', { status }) + (body ? ` ${body}` : ''));
        return;
      }
      // The one person in this process is the only recipient: every new outbox entry is theirs.
      const deadline = Date.now() + OUTBOX_WAIT_MS;
      let entries = await readOutbox();
      while (entries.length <= before && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        entries = await readOutbox();
      }
      if (entries.length > before) {
        await new Promise((resolve) => setTimeout(resolve, OUTBOX_SETTLE_MS));
        entries = await readOutbox();
      }
      const replies = entries.slice(before);
      if (replies.length === 0) print(t(options.lang, 'web.chat.noReply'));
      for (const reply of replies) {
        print(
          `${reply.text ?? ''}\n${t(options.lang, 'web.chat.smsMeta', {
            segments: reply.segments ?? '?',
            encoding: reply.encoding ?? '?',
          })}`,
        );
      }
    },
  };
}

async function main(): Promise<number> {
  let options: Options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }

  const dataDir = mkdtempSync(join(tmpdir(), 'dim-chat-'));
  const env: Record<string, string> = {
    NODE_ENV: 'development',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    DATA_DIR: dataDir,
    SIMULATOR: 'off',
    // Text channels only: no voice prompts synthesised in the background.
    VOICE_SYNTHESIS: 'off',
  };
  for (const name of PASSED_THROUGH) {
    const value = process.env[name];
    if (value) env[name] = value;
  }
  const config = loadConfig(env);
  const service = createService(config, createLogger('silent'));
  const port = await service.listen();
  const transport = http(`http://127.0.0.1:${port}`);

  const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  const print = (text: string) => process.stdout.write(`${text}\n`);
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: interactive });
  rl.setPrompt('> ');
  // Iterate from now on: piped lines that arrive while the service answers the first dial are buffered, not lost.
  const lines = rl[Symbol.asyncIterator]();

  let exitCode = 0;
  try {
    let handle: (line: string) => Promise<void>;
    if (options.channel === 'ussd') {
      print(t(options.lang, 'web.chat.banner', { channel: `USSD ${options.code}` }));
      const chat = ussdChat(transport, options, config.USSD_MAX_CHARS, print);
      await chat.dial('');
      handle = chat.line;
    } else {
      print(t(options.lang, 'web.chat.smsBanner', { shortcode: options.shortcode }));
      handle = smsChat(transport, options, print).line;
    }
    if (interactive) rl.prompt();
    for (let next = await lines.next(); !next.done; next = await lines.next()) {
      const line = String(next.value).trim();
      if (!interactive) print(`> ${line}`);
      if (line === '/quit') break;
      await handle(line);
      if (interactive) rl.prompt();
    }
    print(t(options.lang, 'web.chat.bye'));
  } catch (error) {
    process.stderr.write(`chat: ${(error as Error).message}\n`);
    exitCode = 1;
  } finally {
    rl.close();
    await service.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return exitCode;
}

process.exit(await main());
