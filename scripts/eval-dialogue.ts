/**
 * Dialogue evaluation: `npm run eval:dialogue` (issue 29).
 *
 * Short dialogues written as people write (test/fixtures/dialogues.txt, read and split by
 * scripts/dialogue-fixtures.ts), each played from a new phone number against the real service in
 * this process (embedded defaults: memory store, SMS outbox): every message is POSTed to the SMS
 * webhook over HTTP as Africa's Talking posts it, and the reply is read from GET /dev/outbox and
 * recognised by the catalog sentence it starts with (src/i18n catalogs: which sentence, in which
 * language, naming which ids). Per half (tune, held-out), by dialogue:
 *
 * - ended where wanted: the last reply is what the dialogue expects, in the expected language;
 * - false "not in the report": a "not in the report" reply to a message that is about the report;
 * - confident wrong openings: one recommendation opened that the message did not ask for;
 * - echoes: a word of the message the service does not know (an insult, a name) quoted back;
 * - wrong language: a reply not in the language the dialogue expects;
 * - per-turn latency: a second pass of the same dialogues (new numbers) through the webhook's own
 *   handler in this process (what the fast lane calls, no socket), and the HTTP round trip of the
 *   first pass, p50 and p99.
 *
 * `--failures` lists the tune half's failures too (tuning looks only at those); the held-out half's
 * are listed unless `--tune-only`.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger } from '../adapters/logging.js';
import { createService } from '../adapters/service.js';
import { loadConfig } from '../src/config.js';
import { loadCorpus } from '../src/content/load.js';
import { fold } from '../src/core/normalize.js';
import { languages, messageKeys, t, type MessageKey } from '../src/i18n/index.js';
import { toGsm7 } from '../src/text/gsm7.js';
import { readDialogues, type Dialogue, type Turn } from './dialogue-fixtures.js';

const root = fileURLToPath(new URL('..', import.meta.url));
/** Timed rounds of every dialogue for the latency figures (after one warm-up round). */
const TIMED_ROUNDS = 5;
const showTuneFailures = process.argv.includes('--failures');
/** While tuning: the held-out half's figures only, not its failures. */
const hideHeldOut = process.argv.includes('--tune-only');
const dialogues = readDialogues(`${root}test/fixtures/dialogues.txt`);

// ---- recognising a reply by the catalog sentence it starts with ----

interface Template {
  key: MessageKey;
  lang: string;
  re: RegExp;
  /** Characters of the template outside its placeholders: the longer, the surer. */
  literal: number;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function templates(): Template[] {
  const out: Template[] = [];
  for (const { code } of languages()) {
    for (const key of messageKeys()) {
      if (/^(web|tg|wa|voice|ussd|console|sim)\./.test(key)) continue;
      const text = toGsm7(t(code, key));
      const parts = text.split(/\{(\w+)\}/);
      const literal = parts.filter((_, i) => i % 2 === 0).join('');
      // A short sentence ("OK.") is recognised only as a whole line, never as a reply's start.
      const short = literal.trim().length < 6;
      const named = new Set<string>();
      const SHAPES: Record<string, string> = { id: '\\d\\.\\d{1,3}', theme: '\\d+', count: '\\d+' };
      const source = parts
        .map((part, i) => {
          if (i % 2 === 0) return escape(part);
          const shape = SHAPES[part] ?? '.+?';
          if (named.has(part)) return `(?:${shape})`;
          named.add(part);
          return `(?<${part}>${shape})`;
        })
        .join('');
      const re = new RegExp(short ? `^${source}(?:\\n|$)` : `^${source}`);
      out.push({ key, lang: code, re, literal: literal.length });
    }
  }
  return out.sort((a, b) => b.literal - a.literal);
}

interface Seen {
  what: string;
  lang?: string;
  ids: string[];
  theme?: number;
  text: string;
}

const WHAT: Array<[RegExp, string]> = [
  [/^(sms\.recommendation\.header|summary\.title)$/, 'open'],
  [/^search\.(resultsTitle|closeTitle|didYouMean)/, 'list'],
  [/^theme\.title$/, 'theme'],
  [/^home\.title$/, 'home'],
  [/^followup\.title$/, 'follow'],
  [/^followup\.general$/, 'followGeneral'],
  [/^(sms\.help|help\.text)$/, 'help'],
  [/^(sms\.about\.short|about\.title)$/, 'about'],
  [/^smallTalk\.greeting$/, 'greet'],
  [/^smallTalk\.reply$/, 'thanks'],
  [/^smallTalk\.ack$/, 'ack'],
  [/^search\.notInReport$/, 'notin'],
  [/^search\.none$/, 'none'],
  [/^optOut\.done$/, 'stop'],
  [/^optIn\.done$/, 'start'],
  [/^(subscribe\.(unavailable|all|theme|badTheme)|unsubscribe\.)/, 'subinfo'],
  [/^subscribe\.optedOut$/, 'startfirst'],
  [/^language\.set$/, 'lang'],
  [/^language\.choose$/, 'langChooser'],
  [/^outOfRange\./, 'range'],
  [/^pick\.range$/, 'pickrange'],
  [/^pick\.none$/, 'picknone'],
  [/^context\.none$/, 'context'],
  [/^(sms\.noPages|nav\.noMore)$/, 'end'],
  [/^nav\.atStart$/, 'atstart'],
  [/^callback\./, 'callback'],
  [/^feedback\./, 'feedback'],
  [/^wrong\./, 'wrong'],
  [/^sms\.back$/, 'back'],
  [/^sms\.empty$/, 'empty'],
];

const TEMPLATES = templates();

function recognise(texts: string[], webhookKind: string | undefined): Seen {
  if (texts.length === 0) return { what: 'silent', ids: [], text: '' };
  const text = texts[0]!.replace(/^\(\d+\/\d+\) /, '');
  const ids = [...text.matchAll(/^(\d\.\d{1,3}) /gm)].map((m) => m[1]!);
  const themesList = /^T1 .*\nT2 /m.test(text);
  for (const template of TEMPLATES) {
    const match = template.re.exec(text);
    if (!match) continue;
    const what = WHAT.find(([re]) => re.test(template.key))?.[1] ?? template.key;
    const groups = match.groups ?? {};
    const seen: Seen = { what, lang: template.lang, ids, text };
    if (what === 'open' || what === 'follow') seen.ids = groups.id ? [groups.id] : [];
    if (what === 'theme') seen.theme = Number(groups.theme);
    if (what === 'list') {
      const offer = new RegExp(
        escape(toGsm7(t(template.lang, 'search.themeOffer', { theme: '#' }))).replace(/#/g, '(\\d)'),
      );
      const offered = offer.exec(text);
      if (offered) seen.theme = Number(offered[1]);
    }
    return seen;
  }
  if (themesList) return { what: 'themes', ids: [], text };
  if (webhookKind === 'next' || webhookKind === 'previous') return { what: 'page', ids, text };
  return { what: `unknown:${webhookKind ?? ''}`, ids, text };
}

// ---- judging one reply against what the message wanted ----

interface Context {
  /** The list last shown in this dialogue, whole (as SUITE would page it). */
  list: string[];
  /** The recommendation last opened. */
  rec?: string;
}

function wantedIds(arg: string | undefined, context: Context): string[] {
  if (!arg) return [];
  return arg.split(',').flatMap((id) => {
    if (id === '#last') return context.list.slice(-1);
    if (id.startsWith('#')) return context.list.slice(Number(id.slice(1)) - 1, Number(id.slice(1)));
    return [id];
  });
}

function accepts(turn: Turn, seen: Seen, context: Context): boolean {
  return turn.expect.some(({ what, arg }) => {
    const ids = wantedIds(arg, context);
    switch (what) {
      case 'open':
        return seen.what === 'open' && ids.includes(seen.ids[0]!);
      case 'list':
        return (
          (seen.what === 'list' && seen.ids.slice(0, 3).some((id) => ids.includes(id))) ||
          (seen.what === 'open' && ids.includes(seen.ids[0]!))
        );
      case 'theme':
        return (seen.what === 'theme' || seen.what === 'list') && seen.theme === Number(arg);
      case 'follow':
        return arg ? seen.what === 'follow' && ids.includes(seen.ids[0]!) : seen.what === 'followGeneral';
      case 'text':
        return seen.what === 'open' && ids.includes(seen.ids[0]!);
      case 'themes':
      case 'home':
        // By SMS the menu is the list of themes (src/reply/notices.ts homePlan: MENU and THEMES
        // both lead there, in one segment), under a title or not.
        return seen.what === 'themes' || seen.what === 'home';
      case 'social':
        return ['greet', 'thanks', 'ack'].includes(seen.what);
      case 'nothing':
        return seen.what === 'notin' || seen.what === 'none';
      case 'unsub':
        return seen.what === 'stop' || seen.what === 'subinfo';
      case 'lang:en':
      case 'lang:fr':
      case 'lang:bm':
        return seen.what === 'lang' && seen.lang === what.slice(5);
      case 'any':
        return seen.what !== 'notin' && seen.what !== 'open';
      default:
        return seen.what === what;
    }
  });
}

/** The message's words the service cannot know (not the report's, the catalogs', the lexicon's or our translations'). */
function vocabulary(): Set<string> {
  const words = new Set<string>();
  const add = (text: string) =>
    fold(text)
      .split(' ')
      .forEach((w) => words.add(w));
  const corpus = loadCorpus(`${root}content/recommendations.json`);
  for (const r of corpus.recommendations) [r.text, r.label, ...(r.items ?? [])].forEach(add);
  for (const theme of corpus.themes) [theme.title, theme.short].forEach(add);
  for (const { code } of languages()) for (const key of messageKeys()) add(t(code, key));
  add(readFileSync(`${root}content/lexicon.json`, 'utf8'));
  // Our labels and summaries in English and Bambara: replies show them ("1.14 Fight against terrorism").
  for (const file of readdirSync(`${root}content/translations`))
    if (file.endsWith('.json')) add(readFileSync(`${root}content/translations/${file}`, 'utf8'));
  return words;
}

// ---- playing the dialogues ----

interface Outcome {
  dialogue: Dialogue;
  ok: boolean;
  falseNotIn: number;
  wrongOpen: number;
  echoes: number;
  wrongLang: number;
  seen: Seen[];
}

async function main(): Promise<void> {
  // The opt-out journal (STOP, START) in memory-backed storage where there is one: its fsync
  // measures the disk, not the conversation.
  const dataDir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'dim-eval-dialogue-'));
  const config = loadConfig({
    NODE_ENV: 'development',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    DATA_DIR: dataDir,
    RATE_LIMIT_PER_MINUTE: '100000',
  });
  const service = createService(config, createLogger('silent'));
  const port = await service.listen();
  const base = `http://127.0.0.1:${port}`;
  const known = vocabulary();
  let phoneCounter = 0;
  let messageCounter = 0;
  const newPhone = () => `+2237${String(++phoneCounter).padStart(7, '0')}`;
  const form = (phone: string, text: string) => ({
    from: phone,
    to: '36000',
    text,
    date: '2024-05-10 10:00:00',
    id: `ATXid_eval_${++messageCounter}`,
    linkId: 'link-1',
    networkCode: '61001',
  });
  const httpMs: number[] = [];

  async function play(dialogue: Dialogue): Promise<Outcome> {
    const phone = newPhone();
    const context: Context = { list: [] };
    const outcome: Outcome = {
      dialogue,
      ok: false,
      falseNotIn: 0,
      wrongOpen: 0,
      echoes: 0,
      wrongLang: 0,
      seen: [],
    };
    let before = 0;
    for (const [i, turn] of dialogue.turns.entries()) {
      const started = process.hrtime.bigint();
      const response = await fetch(`${base}/sms`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form(phone, turn.text)).toString(),
      });
      httpMs.push(Number(process.hrtime.bigint() - started) / 1e6);
      const answer = (await response.json()) as { kind?: string };
      await service.sms.flush();
      const entries = (await (
        await fetch(`${base}/dev/outbox?to=${encodeURIComponent(phone)}`)
      ).json()) as Array<{
        text: string;
      }>;
      const texts = entries.slice(before).map((entry) => entry.text);
      before = entries.length;
      const seen = recognise(texts, answer.kind);
      outcome.seen.push(seen);
      const ok = accepts(turn, seen, context);
      const inScope = turn.expect.every(({ what }) => !['notin', 'nothing', 'none', 'any'].includes(what));
      if (seen.what === 'notin' && inScope) outcome.falseNotIn++;
      if (seen.what === 'open' && !ok) outcome.wrongOpen++;
      if (seen.lang && seen.what !== 'open' && seen.lang !== turn.lang) outcome.wrongLang++;
      if (seen.what === 'open' && seen.lang && seen.lang !== turn.lang) outcome.wrongLang++;
      const reply = fold(texts.join(' '));
      for (const word of fold(turn.text).split(' ')) {
        if (
          word.length >= 3 &&
          !known.has(word) &&
          !/\d/.test(word) &&
          new RegExp(`\\b${word}\\b`).test(reply)
        )
          outcome.echoes++;
      }
      if (seen.what === 'list') {
        // The whole list as SUITE pages it: the first page shows its start.
        const all = service.engine.search(turn.text, 300).hits.map((hit) => hit.recommendation.id);
        context.list =
          seen.ids.every((id, k) => all[k] === id) && all.length > seen.ids.length ? all : seen.ids;
      }
      if (seen.what === 'theme' && seen.theme !== undefined)
        context.list = service.engine.recommendationsOf(seen.theme).map((r) => r.id);
      if (seen.what === 'themes') context.list = ['1', '2', '3', '4', '5'];
      if (seen.what === 'open') context.rec = seen.ids[0];
      if (i === dialogue.turns.length - 1) {
        const langOk = !seen.lang || seen.lang === turn.lang || seen.what === 'lang';
        outcome.ok = ok && langOk;
      }
    }
    return outcome;
  }

  const outcomes: Outcome[] = [];
  for (const dialogue of dialogues) outcomes.push(await play(dialogue));

  // Latency: the same dialogues again, new numbers, through the webhook's own handler (no socket),
  // a warm-up round then TIMED_ROUNDS; each turn's median over the rounds (as eval:search does:
  // a collection pause lands on one round, not on the figure).
  const rounds: number[][] = [];
  // The webhook's handler for an incoming message, without HTTP (adapters/gateway/contract.ts).
  const incoming = service.sms.gateway.routes.find((route) => route.path === '/')!.handle;
  for (let round = 0; round <= TIMED_ROUNDS; round++) {
    const times: number[] = [];
    for (const dialogue of dialogues) {
      const phone = newPhone();
      for (const turn of dialogue.turns) {
        const started = process.hrtime.bigint();
        await incoming({ route: '/', fields: form(phone, turn.text), origin: '', url: '/sms', notes: {} });
        times.push(Number(process.hrtime.bigint() - started) / 1e6);
      }
    }
    await service.sms.flush();
    if (round > 0) rounds.push(times);
  }
  const turnMs = rounds[0]!.map((_, i) =>
    percentile(
      rounds.map((times) => times[i]!),
      50,
    ),
  );
  await service.close();
  rmSync(dataDir, { recursive: true, force: true });
  report(outcomes, turnMs, httpMs);
}

// ---- the report ----

const pct = (n: number, of: number) => (of === 0 ? '-' : `${((100 * n) / of).toFixed(1)} %`);

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

function describe(outcome: Outcome): string {
  const turns = outcome.dialogue.turns.map((turn, i) => {
    const seen = outcome.seen[i]!;
    const wanted = turn.expect.map(({ what, arg }) => (arg ? `${what} ${arg}` : what)).join('|');
    const got = `${seen.what}${seen.ids.length ? ` ${seen.ids.slice(0, 3).join(',')}` : ''}${seen.theme ? ` T${seen.theme}` : ''} [${seen.lang ?? '?'}]`;
    return `"${turn.text}" → ${got} (want ${wanted} @${turn.lang})`;
  });
  return `- #${outcome.dialogue.n} [${outcome.dialogue.kind} ${outcome.dialogue.lang}] ${turns.join(' ; ')}`;
}

function report(outcomes: Outcome[], turnMs: number[], httpMs: number[]): void {
  const halves = [
    ['Held-out', outcomes.filter((o) => o.dialogue.half === 'heldOut')],
    ['Tune', outcomes.filter((o) => o.dialogue.half === 'tune')],
  ] as const;
  const lines: string[] = [];
  lines.push('# Dialogue evaluation (issue 29: dialogues as people write them, over the SMS webhook)', '');
  lines.push(
    `machine: ${cpus().length} CPUs (${cpus()[0]?.model.split(' ').slice(0, 2).join(' ') ?? '?'}), load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}, node ${process.version}, ${new Date().toISOString()}`,
  );
  const turns = outcomes.reduce((sum, o) => sum + o.dialogue.turns.length, 0);
  lines.push(
    `fixture: ${outcomes.length} dialogues, ${turns} messages (test/fixtures/dialogues.txt), split by dialogue (scripts/dialogue-fixtures.ts)`,
    '',
  );
  lines.push('| metric | target | held-out | tune |', '|---|---|---:|---:|');
  const metric = (name: string, target: string, value: (set: readonly Outcome[]) => string) =>
    lines.push(`| ${name} | ${target} | ${value(halves[0][1])} | ${value(halves[1][1])} |`);
  const sum = (set: readonly Outcome[], f: (o: Outcome) => number) => set.reduce((s, o) => s + f(o), 0);
  metric('dialogues', '', (set) => String(set.length));
  metric('ended where the person wanted', '≥ 95 %', (set) => pct(set.filter((o) => o.ok).length, set.length));
  metric('false "not in the report" (in-scope messages)', '0', (set) =>
    String(sum(set, (o) => o.falseNotIn)),
  );
  metric('confident wrong openings', '0', (set) => String(sum(set, (o) => o.wrongOpen)));
  metric('unknown words quoted back (echoes)', '0', (set) => String(sum(set, (o) => o.echoes)));
  metric('replies in another language than expected', '', (set) => String(sum(set, (o) => o.wrongLang)));
  lines.push('');
  lines.push(
    `latency per turn, all dialogues: in-process (the webhook's handler, no socket; each turn's median of ${TIMED_ROUNDS} rounds after a warm-up) p50 ${percentile(turnMs, 50).toFixed(2)} ms, p99 ${percentile(turnMs, 99).toFixed(2)} ms (target ≤ 5 ms, ${turnMs.length} turns); over HTTP on localhost (the first pass, once) p50 ${percentile(httpMs, 50).toFixed(2)} ms, p99 ${percentile(httpMs, 99).toFixed(2)} ms`,
    '',
  );
  for (const [name, set] of halves) {
    lines.push(
      `### by kind, ${name.toLowerCase()}`,
      '',
      '| kind | dialogues | ended where wanted |',
      '|---|---:|---:|',
    );
    const kinds = [...new Set(set.map((o) => o.dialogue.kind))].sort();
    for (const kind of kinds) {
      const of = set.filter((o) => o.dialogue.kind === kind);
      lines.push(`| ${kind} | ${of.length} | ${pct(of.filter((o) => o.ok).length, of.length)} |`);
    }
    lines.push('');
  }
  const failures = (set: readonly Outcome[]) =>
    set.filter((o) => !o.ok || o.falseNotIn > 0 || o.wrongOpen > 0 || o.echoes > 0);
  if (!hideHeldOut)
    lines.push('## Held-out: every dialogue that failed', '', ...failures(halves[0][1]).map(describe), '');
  if (showTuneFailures)
    lines.push('## Tune: every dialogue that failed', '', ...failures(halves[1][1]).map(describe), '');
  process.stdout.write(`${lines.join('\n')}\n`);
}

await main();
