/**
 * Issue 33's three load holes, measured on one checkout: `npm run bench:abuse -- [root]`
 * (`npx tsx bench/abuse.ts [root]`); results of both runs in bench/abuse.md.
 * `root` (default: this checkout) is the tree whose service is measured; to measure the code
 * before the fix, extract it and point there, e.g.
 *
 *   git archive c6326f4 | tar -x -C /tmp/before && ln -s "$PWD/node_modules" /tmp/before/
 *   npx tsx bench/abuse.ts /tmp/before > bench/abuse-before.md
 *   npx tsx bench/abuse.ts > bench/abuse-after.md
 *
 * Prints a markdown report (how it was run, then the figures) on stdout; progress on stderr.
 *
 * 1. Studio sign-in under guessing: the service in a child process (`node --import tsx
 *    adapters/main.ts`, a redis-server of its own) with one studio account at its version's
 *    default cost; 32 clients guess its password for BENCH_GUESS_SECONDS (10) while one USSD
 *    caller walks the menus hop after hop: USSD latency (p50, p95, max) with and without the
 *    guessing, and what the guesses were answered. Before the fix the studio was basic auth
 *    (STUDIO_USERS); after, the console's sign-in (a `recorder` account), which each client
 *    reaches from an address of its own (X-Forwarded-For, loopback is a trusted proxy).
 * 2. WhatsApp through a Redis freeze: the service in-process (WhatsApp on, a fake Graph API, a
 *    redis-server of its own); 240 people write and 60 send STOP, 20 notifications at a time,
 *    Redis frozen 5 s (CLIENT PAUSE ALL) once a third are under way; Meta emulated (what gets no
 *    2xx is posted again, for as long as it takes). Counted: messages never answered, STOPs not
 *    stored or not confirmed exactly once.
 * 3. What one phone can make the service spend, with the caps at their defaults (60 segments a
 *    number, 20,000 for the service, 300 call backs a day): USSD `3*480*9` (4.80 by SMS) in 40
 *    fresh sessions, the same number, then in three spellings, then 40 different
 *    recommendations: SMS segments handed to the gateway. Call backs: two instances on one
 *    Redis, VOICE_CALLBACK=on, 300 numbers x 3 missed calls alternating between them: calls placed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';

const root = resolve(process.argv[2] ?? '.');
const GUESS_SECONDS = Number(process.env.BENCH_GUESS_SECONDS ?? 10);
const TOKEN = 'bench-abuse-webhook-token-0123456789';
const PHONE_KEY = 'bench-abuse-phone-hash-key-0123456789';
const log = (line: string) => process.stderr.write(`${line}\n`);
const out: string[] = [];
const say = (line = '') => out.push(line);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const load = <T>(path: string): Promise<T> => import(pathToFileURL(join(root, path)).href) as Promise<T>;

type RedisServer = { url: string; stop(): Promise<void> };
const { startRedisServer, freePort } = await load<{
  startRedisServer(): Promise<RedisServer>;
  freePort(): Promise<number>;
}>('test/support/redis-server.ts');

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}
const ms = (value: number) => (Number.isNaN(value) ? '—' : `${value.toFixed(1)} ms`);

// ---------------------------------------------------------------------------------------------
// 1. Studio sign-in under guessing
// ---------------------------------------------------------------------------------------------

async function studioGuessing(): Promise<void> {
  const before = existsSync(join(root, 'adapters/voice/studio/auth.ts'));
  const password = 'radio kayes enregistre 2024';
  let studioEnv: Record<string, string>;
  if (before) {
    const { hashStudioPassword } = await load<{ hashStudioPassword(p: string): string }>(
      'adapters/voice/studio/auth.ts',
    );
    studioEnv = { STUDIO_USERS: `awa:${hashStudioPassword(password)}` };
  } else {
    const { hashPassword } = await load<{ hashPassword(p: string): Promise<string> }>(
      'adapters/console/password.ts',
    );
    studioEnv = { CONSOLE_USERS: `awa:recorder:${await hashPassword(password)}` };
  }
  const redis = await startRedisServer();
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'bench-abuse-'));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'adapters/main.ts'], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? tmpdir(),
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      DATA_DIR: dir,
      AUDIO_DIR: join(dir, 'audio'),
      REDIS_URL: redis.url,
      WEBHOOK_TOKEN: TOKEN,
      PHONE_HASH_KEY: PHONE_KEY,
      RATE_LIMIT_PER_MINUTE: '100000',
      ...studioEnv,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    if (
      (await fetch(`${base}/healthz`).then(
        (r) => r.status,
        () => 0,
      )) === 200
    )
      break;
    await sleep(100);
  }

  let hop = 0;
  const path = ['1', '2', '98', '0', '3', '215', '00'];
  /** One USSD caller, hop after hop, until `until`: every hop's latency. */
  async function caller(until: number): Promise<{ latencies: number[]; apologies: number }> {
    const latencies: number[] = [];
    let apologies = 0;
    while (Date.now() < until) {
      const n = hop++;
      const text = path.slice(0, n % (path.length + 1)).join('*');
      const started = performance.now();
      const body = await fetch(`${base}/ussd/${TOKEN}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          sessionId: `ATUid_bench_${Math.floor(n / (path.length + 1))}`,
          serviceCode: '*384*12#',
          phoneNumber: '+22376543210',
          text,
        }),
      }).then((r) => r.text());
      latencies.push(performance.now() - started);
      if (/^END (Désolé|Sorry)/.test(body)) apologies++;
    }
    return { latencies: latencies.sort((a, b) => a - b), apologies };
  }

  const statuses = new Map<number, number>();
  /** One guesser from its own address, guess after guess, until `until`. */
  async function guesser(n: number, until: number): Promise<void> {
    const headers = { 'x-forwarded-for': `198.18.${Math.floor(n / 250)}.${(n % 250) + 1}` };
    let i = 0;
    while (Date.now() < until) {
      let status: number;
      if (before) {
        const auth = Buffer.from(`awa:guess-${n}-${i++}`).toString('base64');
        status = await fetch(`${base}/studio/`, {
          headers: { ...headers, authorization: `Basic ${auth}` },
        }).then(
          async (r) => (await r.arrayBuffer(), r.status),
          () => 0,
        );
      } else {
        const page = await fetch(`${base}/admin/login?next=%2Fstudio%2F`, { headers });
        const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0]!;
        const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
        status = await fetch(`${base}/admin/login`, {
          method: 'POST',
          redirect: 'manual',
          headers: { ...headers, cookie, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            _csrf: csrf,
            name: 'awa',
            password: `guess-${n}-${i++}`,
            next: '/studio/',
          }),
        }).then(
          async (r) => (await r.arrayBuffer(), r.status),
          () => 0,
        );
      }
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
  }

  log('studio: USSD alone');
  const idle = await caller(Date.now() + GUESS_SECONDS * 1000);
  log('studio: USSD while 32 clients guess');
  const until = Date.now() + GUESS_SECONDS * 1000;
  const [busy] = await Promise.all([
    caller(until),
    ...Array.from({ length: 32 }, (_, n) => guesser(n, until)),
  ]);
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  await redis.stop();
  rmSync(dir, { recursive: true, force: true });

  say('## 1. The studio sign-in under guessing');
  say();
  say(
    before
      ? 'Studio: HTTP basic auth against STUDIO_USERS (scrypt N=2^14, synchronous), guessed with wrong passwords on GET /studio/.'
      : 'Studio: the console’s sign-in (`recorder` account, scrypt N=2^17, asynchronous, 2 at a time), guessed through GET /admin/login?next=/studio/ then POST /admin/login, each client from its own address.',
  );
  say();
  say('| USSD caller (one, hop after hop) | hops | p50 | p95 | max | apologies |');
  say('|---|---:|---:|---:|---:|---:|');
  for (const [name, run] of [
    ['alone', idle],
    ['while 32 clients guess', busy],
  ] as const)
    say(
      `| ${name} | ${run.latencies.length} | ${ms(quantile(run.latencies, 0.5))} | ${ms(quantile(run.latencies, 0.95))} | ${ms(run.latencies.at(-1) ?? NaN)} | ${run.apologies} |`,
    );
  say();
  const total = [...statuses.values()].reduce((a, b) => a + b, 0);
  say(
    `Guesses in ${GUESS_SECONDS} s: ${total}; answered ${[...statuses.entries()]
      .sort(([a], [b]) => a - b)
      .map(([status, count]) => `${status === 0 ? 'no answer' : status}: ${count}`)
      .join(', ')}.`,
  );
  say();
}

// ---------------------------------------------------------------------------------------------
// 2. WhatsApp through a Redis freeze
// ---------------------------------------------------------------------------------------------

async function whatsappFreeze(): Promise<void> {
  type Harness = {
    post(body: unknown): Promise<Response>;
    clock: { seconds: number };
    graph: { calls: Array<{ payload: Record<string, unknown> }> };
    service: { whatsapp?: { flush(): Promise<void>; notify(id: string, m: unknown[]): Promise<string> } };
    close(): Promise<void>;
  };
  const wa = await load<{
    startWhatsAppService(
      env: Record<string, string>,
      options: { configuredStore: boolean },
    ): Promise<Harness>;
    notification(messages: unknown[]): unknown;
    text(body: string, options: { from: string; id: string; timestamp: number }): unknown;
    wamid(from: string): string;
  }>('test/support/whatsapp.ts');
  const { t } = await load<{ t(lang: string, key: string): string }>('src/i18n/index.ts');
  const redis = await startRedisServer();
  const h = await wa.startWhatsAppService(
    {
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: `benchwa${randomBytes(3).toString('hex')}:`,
      LOG_LEVEL: 'silent',
    },
    { configuredStore: true },
  );
  const PEOPLE = 240;
  const STOPS = 60;
  const person = (n: number) => `2237${String(7_100_000 + n).padStart(7, '0')}`;
  const stopper = (n: number) => `2237${String(7_200_000 + n).padStart(7, '0')}`;
  const bodies = [
    ...Array.from({ length: PEOPLE }, (_, n) =>
      wa.notification([
        wa.text(n % 2 ? '2.15' : 'eau', {
          from: person(n),
          id: wa.wamid(person(n)),
          timestamp: h.clock.seconds,
        }),
      ]),
    ),
    ...Array.from({ length: STOPS }, (_, n) =>
      wa.notification([
        wa.text('STOP', { from: stopper(n), id: wa.wamid(stopper(n)), timestamp: h.clock.seconds }),
      ]),
    ),
  ].sort(() => Math.random() - 0.5);
  let posts = 0;
  let redelivered = 0;
  async function meta(body: unknown): Promise<void> {
    let pause = 250;
    for (let attempt = 0; attempt < 200; attempt++) {
      posts++;
      const status = await h.post(body).then(
        async (r) => (await r.arrayBuffer(), r.status),
        () => 0,
      );
      if (status >= 200 && status < 300) return;
      redelivered++;
      await sleep(pause);
      pause = Math.min(pause * 2, 2000);
    }
  }
  log('whatsapp: 300 notifications, Redis frozen 5 s');
  const queue = [...bodies];
  const senders = Array.from({ length: 20 }, async () => {
    for (let body = queue.shift(); body; body = queue.shift()) await meta(body);
  });
  while (queue.length > (bodies.length * 2) / 3) await sleep(10);
  const pauser = new Redis(redis.url);
  await pauser.call('CLIENT', 'PAUSE', '5000', 'ALL');
  pauser.disconnect();
  await Promise.all(senders);
  await h.service.whatsapp!.flush();
  const answered = new Set(h.graph.calls.map((c) => String(c.payload.to)));
  const unanswered = Array.from({ length: PEOPLE }, (_, n) => person(n)).filter(
    (id) => !answered.has(id),
  ).length;
  const confirmation = t('fr', 'optOut.done').slice(0, 20);
  let notStored = 0;
  let notConfirmedOnce = 0;
  for (let n = 0; n < STOPS; n++) {
    const confirmations = h.graph.calls.filter(
      (c) => c.payload.to === stopper(n) && JSON.stringify(c.payload).includes(confirmation),
    ).length;
    if (confirmations !== 1) notConfirmedOnce++;
    if (
      (await h.service.whatsapp!.notify(stopper(n), [{ type: 'text', text: { body: 'x' } }])) !== 'optedOut'
    )
      notStored++;
  }
  await h.close();
  await redis.stop();
  say('## 2. WhatsApp through a 5 s Redis freeze');
  say();
  say(
    '| messages | never answered | STOPs | not stored | not confirmed exactly once | notifications posted | answered non-2xx (delivered again) |',
  );
  say('|---:|---:|---:|---:|---:|---:|---:|');
  say(
    `| ${PEOPLE} | ${unanswered} | ${STOPS} | ${notStored} | ${notConfirmedOnce} | ${posts} | ${redelivered} |`,
  );
  say();
}

// ---------------------------------------------------------------------------------------------
// 3. What one phone can make the service spend
// ---------------------------------------------------------------------------------------------

async function spending(): Promise<void> {
  type Running = {
    baseUrl: string;
    service: {
      pseudonymize(phone: string): string;
      sms: { flush(): Promise<void>; outbox?: { list(): Array<{ to: string; segments: number }> } };
      callBacks: { callbacks: { flush(): Promise<void> }; outbox?: { list(): unknown[] } };
    };
    close(): Promise<void>;
  };
  const { startService } = await load<{
    startService(env: Record<string, string>, overrides?: Record<string, unknown>): Promise<Running>;
  }>('test/support/service.ts');
  const dir = mkdtempSync(join(tmpdir(), 'bench-spend-'));
  // The service's defaults, named: the test helper puts caps out of the way for other suites.
  // (A tree before the caps ignores these variables.)
  const env = {
    DATA_DIR: dir,
    WEBHOOK_TOKEN: TOKEN,
    PHONE_HASH_KEY: PHONE_KEY,
    LOG_LEVEL: 'silent',
    SMS_SEGMENTS_PERSON_PER_DAY: '60',
    SMS_SEGMENTS_SERVICE_PER_DAY: '20000',
    VOICE_CALLBACK_SERVICE_PER_DAY: '300',
  };
  let session = 0;
  async function dial(s: Running, phone: string, steps: string[]): Promise<void> {
    const sessionId = `ATUid_spend_${++session}`;
    for (let hop = 0; hop <= steps.length; hop++)
      await fetch(`${s.baseUrl}/ussd/${TOKEN}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          sessionId,
          serviceCode: '*384*12#',
          phoneNumber: phone,
          text: steps.slice(0, hop).join('*'),
        }),
      }).then((r) => r.text());
  }
  /** Segments handed to the gateway, by the service's own counter (the dev outbox keeps its last 200). */
  const segments = async (s: Running) => {
    await s.service.sms.flush();
    const metrics = await fetch(`${s.baseUrl}/metrics`).then((r) => r.text());
    return [...metrics.matchAll(/^dim_sms_segments_sent_total\{[^}]*\} (\d+)$/gm)].reduce(
      (n, m) => n + Number(m[1]),
      0,
    );
  };
  const ids = (
    await load<{ loadCorpus(path: string): { recommendations: Array<{ id: string }> } }>(
      'src/content/load.ts',
    )
  )
    .loadCorpus(join(root, 'content/recommendations.json'))
    .recommendations.map((r) => r.id.replace('.', ''))
    .slice(0, 40);
  const rows: Array<[string, number, number]> = [];
  for (const [name, forms, items] of [
    ['40 sessions `3*480*9`, one number', ['+22376000002'], ['480']],
    [
      '40 sessions `3*480*9`, written +22376000002 / 0022376000002 / 76000002',
      ['+22376000002', '0022376000002', '76000002'],
      ['480'],
    ],
    ['40 sessions `3*<id>*9`, 40 different recommendations', ['+22376000002'], ids],
  ] as const) {
    const s = await startService({ ...env, DATA_DIR: mkdtempSync(join(dir, 'd')) });
    const started = performance.now();
    for (let i = 0; i < 40; i++)
      await dial(s, forms[i % forms.length]!, ['3', items[i % items.length]!, '9']);
    const spent = await segments(s);
    rows.push([name, spent, performance.now() - started]);
    await s.close();
  }
  log('spending: call backs, 2 instances, 300 numbers x 3');
  const redis = await startRedisServer();
  const callEnv = {
    ...env,
    REDIS_URL: redis.url,
    REDIS_KEY_PREFIX: `benchcb${randomBytes(3).toString('hex')}:`,
    VOICE_CALLBACK: 'on',
    VOICE_CALLBACK_PER_DAY: '2',
  };
  const a = await startService(callEnv, { callbackDelayMs: 0 });
  const b = await startService(callEnv, { callbackDelayMs: 0 });
  const started = performance.now();
  let missed = 0;
  for (let n = 0; n < 300; n++)
    for (let k = 0; k < 3; k++) {
      const s = missed++ % 2 ? b : a;
      await fetch(`${s.baseUrl}/voice/${TOKEN}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          isActive: '1',
          sessionId: `ATVId_bench_${missed}`,
          direction: 'Inbound',
          callerNumber: `+2237${String(3_000_000 + n).padStart(7, '0')}`,
          destinationNumber: '+22320000000',
        }),
      }).then((r) => r.text());
    }
  const callMs = performance.now() - started;
  // Counted by the service's own counter (the dev outbox keeps only its last 200 entries).
  let calls = 0;
  for (const s of [a, b]) {
    await s.service.callBacks.callbacks.flush();
    const metrics = await fetch(`${s.baseUrl}/metrics`).then((r) => r.text());
    calls += Number(
      /dim_voice_callbacks_total\{trigger="missedCall",outcome="placed"\} (\d+)/.exec(metrics)?.[1] ?? 0,
    );
  }
  await a.close();
  await b.close();
  await redis.stop();
  rmSync(dir, { recursive: true, force: true });
  say('## 3. What one phone can make the service spend');
  say();
  say('| USSD, a fresh session each time | SMS segments sent | seconds |');
  say('|---|---:|---:|');
  for (const [name, spent, took] of rows) say(`| ${name} | ${spent} | ${(took / 1000).toFixed(1)} |`);
  say();
  say('| call backs, 2 instances on one Redis | missed calls | calls placed | seconds |');
  say('|---|---:|---:|---:|');
  say(
    `| 300 numbers x 3 missed calls (VOICE_CALLBACK_PER_DAY=2) | 900 | ${calls} | ${(callMs / 1000).toFixed(1)} |`,
  );
  say();
}

say('# Issue 33 under abuse');
say();
say(
  `Command: \`BENCH_GUESS_SECONDS=${GUESS_SECONDS} npx tsx bench/abuse.ts${process.argv[2] ? ` ${process.argv[2]}` : ''}\``,
);
say();
say(
  `Measured on ${root === resolve('.') ? 'this checkout' : root}, ${new Date().toISOString().slice(0, 10)}; ${cpus().length} cores (${cpus()[0]?.model.trim()}), load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(
      ' ',
    )} at the start (a machine shared with other work: compare the rows of one run, and the counts rather than the times).`,
);
say();
for (const step of [studioGuessing, whatsappFreeze, spending]) {
  try {
    await step();
  } catch (error) {
    say(`${step.name}: failed: ${(error as Error).message}`);
    say();
  }
}
process.stdout.write(`${out.join('\n')}\n`);
process.exit(0);
