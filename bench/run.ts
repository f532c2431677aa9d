/**
 * `npm run bench`: the production bundle against a constant express route, side by side in one
 * run, on loopback, each load in a process of its own. Writes bench/RESULTS.md.
 *
 *   npm run bench                          # full run (~3 min)
 *   BENCH_SECONDS=5 BENCH_NO_BUILD=1 npm run bench
 *   BENCH_SCENARIOS=ussd,sms BENCH_RESULTS_FILE=/tmp/ab.md npm run bench   # an A/B of two routes
 *
 * Processes: a redis-server configured as docker-compose.yml configures it (append-only,
 * fsync on every write), the service as the container starts it (`node dist/adapters/main.js`,
 * NODE_ENV=production, Redis sessions), the bare server (bench/bare-server.ts), and the load
 * generator (bench/load.ts). For each of POST /ussd, POST /sms and GET /api/search: a fixed
 * rate (500 requests/s) and saturation, bare and real alternated. Then start-up time (spawn to
 * /healthz 200, five cold starts) and the service's resident memory after all the load.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { freePort, startRedisServer, type RedisServer } from '../test/support/redis-server.js';
import type { LoadResult, LoadSpec } from './load.js';
import { BENCH_METRICS_TOKEN, BENCH_TOKEN, IMAGE_NODE_OPTIONS, serviceEnv } from './service-env.js';
import { PAGE_BUDGET_BYTES, PAGE_KINDS, rawGet, withLang } from '../test/support/site.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const RATE = Number(process.env.BENCH_RATE ?? 500);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const STARTS = Number(process.env.BENCH_STARTS ?? 5);
const TOKEN = BENCH_TOKEN;
const METRICS_TOKEN = BENCH_METRICS_TOKEN;
const children: ChildProcess[] = [];

const log = (line: string) => process.stderr.write(`${line}\n`);

async function waitFor(url: string, timeoutMs: number, child?: ChildProcess): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (child && child.exitCode !== null) throw new Error(`${url}: process exited ${child.exitCode}`);
    const ok = await fetch(url).then(
      (res) => res.status === 200,
      () => false,
    );
    if (ok) return performance.now() - started;
    if (performance.now() - started > timeoutMs) throw new Error(`${url} not 200 within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function track(child: ChildProcess): ChildProcess {
  children.push(child);
  return child;
}

async function stop(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const [code] = (await exited) as [number | null];
  return code;
}

/** CPU seconds (user + system) a process has used so far, from /proc. */
function cpuSeconds(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

function rssMb(pid: number | undefined): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024);
}

async function startRedis(appendfsync: 'always' | 'everysec'): Promise<RedisServer> {
  // Configured as in docker-compose.yml: append-only persistence, never evict.
  const server = await startRedisServer({
    appendonly: true,
    appendfsync,
    extraArgs: ['--maxmemory-policy', 'noeviction'],
  });
  track(server.process);
  return server;
}

async function startService(
  redisUrl: string,
): Promise<{ child: ChildProcess; base: string; startMs: number }> {
  const port = await freePort();
  const spawned = performance.now();
  const child = track(
    spawn(process.execPath, ['dist/adapters/main.js'], { env: serviceEnv(redisUrl, port), stdio: 'ignore' }),
  );
  const base = `http://127.0.0.1:${port}`;
  await waitFor(`${base}/healthz`, 10_000, child);
  const startMs = performance.now() - spawned;
  await waitFor(`${base}/readyz`, 5000, child);
  return { child, base, startMs };
}

async function startBare(): Promise<{ child: ChildProcess; base: string }> {
  const port = await freePort();
  const child = track(
    spawn(process.execPath, ['--import', 'tsx', 'bench/bare-server.ts'], {
      env: { PATH: process.env.PATH ?? '', PORT: String(port) },
      stdio: 'ignore',
    }),
  );
  const base = `http://127.0.0.1:${port}`;
  await waitFor(`${base}/healthz`, 10_000, child);
  return { child, base };
}

/** bare: constant route; real: Redis as in compose (fsync always); everysec: Redis fsync once a second. */
type Target = 'bare' | 'real' | 'everysec';

interface Measured extends LoadResult {
  target: Target;
  serverCores: number;
  redisCores: number;
}

async function load(
  spec: Omit<LoadSpec, 'ussdPath' | 'smsPath' | 'seed'>,
  target: Target,
  server: ChildProcess,
  redis: ChildProcess | undefined,
  seed: number,
): Promise<Measured> {
  const full: LoadSpec = { ...spec, ussdPath: `/ussd/${TOKEN}`, smsPath: `/sms/${TOKEN}`, seed };
  const serverCpu = cpuSeconds(server.pid);
  const redisCpu = cpuSeconds(redis?.pid);
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/load.ts', JSON.stringify(full)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`load generator exited ${code}`);
  const result = JSON.parse(out.trim().split('\n').at(-1)!) as LoadResult;
  const seconds = result.elapsedMs / 1000;
  return {
    ...result,
    target,
    serverCores: Math.round(((cpuSeconds(server.pid) - serverCpu) / seconds) * 100) / 100,
    redisCores: Math.round(((cpuSeconds(redis?.pid) - redisCpu) / seconds) * 100) / 100,
  };
}

function machine() {
  const cpu = cpus();
  const redisVersion = spawnSync('redis-server', ['--version'], { encoding: 'utf8' }).stdout.trim();
  return {
    nproc: spawnSync('nproc', { encoding: 'utf8' }).stdout.trim(),
    cpu: `${cpu[0]?.model ?? 'unknown'} (${cpu.length} logical CPUs)`,
    memory: `${Math.round(totalmem() / 2 ** 30)} GiB`,
    node: process.version,
    redis: /v=([\d.]+)/.exec(redisVersion)?.[1] ?? redisVersion,
    kernel: spawnSync('uname', ['-sr'], { encoding: 'utf8' }).stdout.trim(),
  };
}

const ALL_SCENARIOS = [
  { scenario: 'ussd', label: 'POST /ussd (multi-hop sessions, Redis)' },
  { scenario: 'sms', label: 'POST /sms (conversations with SUITE, Redis)' },
  { scenario: 'search', label: 'GET /api/search' },
  { scenario: 'page', label: 'GET /r/:id (site: recommendation pages, fr/bm/en, gzip)' },
  { scenario: 'home', label: 'GET / (site: home page, fr/bm/en, gzip)' },
] as const;
/** BENCH_SCENARIOS=ussd,sms: only those routes (an A/B of two builds need not wait on the rest). */
const wanted = process.env.BENCH_SCENARIOS?.split(',').map((name) => name.trim());
const SCENARIOS = ALL_SCENARIOS.filter(({ scenario }) => !wanted || wanted.includes(scenario));
if (SCENARIOS.length === 0) throw new Error(`BENCH_SCENARIOS: none of ${wanted?.join(', ')} is a scenario`);
/** Where the report goes: bench/RESULTS.md, the repository's record, unless told otherwise. */
const RESULTS_FILE = process.env.BENCH_RESULTS_FILE ?? 'bench/RESULTS.md';

async function main() {
  if (!process.env.BENCH_NO_BUILD) {
    log('== npm run build');
    const build = spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
    if (build.status !== 0) throw new Error('build failed');
  }
  const info = machine();
  const loadBefore = loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
  log(`== machine ${JSON.stringify(info)}; load average ${loadBefore}`);
  const redis = await startRedis('always');
  const fastRedis = await startRedis('everysec');

  // Start-up: cold starts of the bundle, each stopped with SIGTERM.
  const starts: number[] = [];
  for (let i = 0; i < STARTS; i++) {
    const { child, startMs } = await startService(redis.url);
    starts.push(Math.round(startMs));
    const code = await stop(child);
    if (code !== 0) throw new Error(`service exited ${code} on SIGTERM`);
  }
  log(`== start-up ms: ${starts.join(', ')}`);

  const real = await startService(redis.url);
  const everysec = await startService(fastRedis.url);
  const bare = await startBare();
  const rssBefore = rssMb(real.child.pid);
  const targets = [
    { target: 'bare', server: bare, redis: undefined },
    { target: 'real', server: real, redis: redis.process },
    { target: 'everysec', server: everysec, redis: fastRedis.process },
  ] as const;
  const results: Measured[] = [];
  let seed = 1;
  for (const { scenario } of SCENARIOS) {
    // Warm-up (JIT, connection pools, caches), not recorded.
    for (const { target, server, redis: store } of targets) {
      const warm = { base: server.base, scenario, mode: 'saturate' as const, connections: CONNECTIONS };
      await load(
        { ...warm, durationMs: WARMUP_SECONDS * 1000, maxRequests: 1e6 },
        target,
        server.child,
        store,
        seed++,
      );
    }
    // The targets alternate, so drift on a shared machine hits all of them.
    for (const mode of ['rate', 'saturate'] as const) {
      for (const { target, server, redis: store } of targets) {
        const spec = {
          base: server.base,
          scenario,
          mode,
          rate: RATE,
          connections: CONNECTIONS,
          durationMs: SECONDS * 1000,
          maxRequests: 2_000_000,
        };
        const measured = await load(spec, target, server.child, store, seed++);
        results.push(measured);
        log(
          `${scenario.padEnd(6)} ${mode.padEnd(8)} ${target.padEnd(8)} ${String(measured.rps).padStart(6)} req/s  p50 ${measured.p50} ms  p99 ${measured.p99} ms  ok ${measured.ok}/${measured.completed}  server ${measured.serverCores} cores  redis ${measured.redisCores}`,
        );
      }
    }
  }
  const bytes = await siteBytes(real.base);
  const rssAfter = rssMb(real.child.pid);
  const metricsRss = await fetch(`${real.base}/metrics`, {
    headers: { authorization: `Bearer ${METRICS_TOKEN}` },
  })
    .then((res) => res.text())
    .then((text) => Number(/^process_resident_memory_bytes (\S+)$/m.exec(text)?.[1] ?? 0) / 2 ** 20);
  for (const child of [real.child, everysec.child, bare.child]) await stop(child);
  await redis.stop();
  await fastRedis.stop();

  const machineLoad = {
    before: loadBefore,
    after: loadavg()
      .map((x) => x.toFixed(2))
      .join(' '),
  };
  writeFileSync(
    RESULTS_FILE,
    report(info, machineLoad, starts, rssBefore, rssAfter, Math.round(metricsRss), results, bytes),
  );
  log(`== wrote ${RESULTS_FILE}`);
}

interface SiteBytes {
  kind: string;
  lang: string;
  identity: number;
  gzip: number;
  br: number;
}

/** Every page kind in every language, asked as a browser asks, measured as it comes off the wire. */
async function siteBytes(base: string): Promise<SiteBytes[]> {
  const out: SiteBytes[] = [];
  const html = { accept: 'text/html' };
  for (const { kind, path } of PAGE_KINDS) {
    for (const lang of ['fr', 'bm', 'en']) {
      const url = `${base}${withLang(path, lang)}`;
      const size = async (encoding: string) =>
        (await rawGet(url, { ...html, 'accept-encoding': encoding })).wire.length;
      out.push({
        kind,
        lang,
        identity: await size('identity'),
        gzip: await size('gzip'),
        br: await size('br'),
      });
    }
  }
  return out;
}

function report(
  info: ReturnType<typeof machine>,
  load: { before: string; after: string },
  starts: number[],
  rssBefore: number,
  rssAfter: number,
  metricsRss: number,
  results: Measured[],
  bytes: SiteBytes[],
): string {
  const find = (scenario: string, mode: string, target: string) =>
    results.find((r) => r.scenario === scenario && r.mode === mode && r.target === target)!;
  const sortedStarts = [...starts].sort((x, y) => x - y);
  const median = sortedStarts[Math.floor(sortedStarts.length / 2)]!;
  const lines: string[] = [];
  const verdict = (ok: boolean) => (ok ? 'met' : '**missed**');
  lines.push('# Benchmark results', '');
  lines.push(`Generated by \`npm run bench\` (bench/run.ts) on ${new Date().toISOString()}.`, '');
  lines.push('## Machine', '');
  lines.push(`- nproc: ${info.nproc}; CPU: ${info.cpu}; memory: ${info.memory}`);
  lines.push(`- Node ${info.node}; Redis ${info.redis}; ${info.kernel}`);
  lines.push(
    `- Load average (1, 5, 15 min) at the start: ${load.before}; at the end: ${load.after} (other work on the machine shows here)`,
  );
  lines.push(
    `- Command: \`npm run bench\` (BENCH_SECONDS=${SECONDS}, BENCH_RATE=${RATE}, BENCH_CONNECTIONS=${CONNECTIONS}${wanted ? `, BENCH_SCENARIOS=${wanted.join(',')}` : ''}, warm-up ${WARMUP_SECONDS} s per target and route)`,
    '',
  );
  lines.push('## Set-up', '');
  lines.push(
    `- **real**: the production bundle as the container runs it (\`node dist/adapters/main.js\`, \`NODE_OPTIONS=${process.env.BENCH_NODE_OPTIONS ?? IMAGE_NODE_OPTIONS}\` as in the Dockerfile, \`NODE_ENV=production\`, \`LOG_LEVEL=info\` to /dev/null), sessions, dedupe, rate-limit counters and opt-outs in a local redis-server configured as in docker-compose.yml (\`appendonly yes\`, \`appendfsync always\`). Rate limits raised to 100,000/min per person and 1,000,000/min per address, and the daily SMS caps to 100,000 segments a person and 100,000,000 for the service (the generator has few phones and one address, and sends more in a minute than the default caps allow a day), but still counted in Redis.`,
    '- **everysec**: the same bundle on a second redis-server with `appendfsync everysec`, to show what the fsync on every write costs.',
    '- **bare**: express 5 with the same form parser and a constant answer (`CON` menu, a JSON line), no engine, no store, no metrics (bench/bare-server.ts).',
    '- **load**: bench/load.ts in its own process, node:http keep-alive, loopback. USSD users walk seven multi-hop paths (Africa’s Talking: each hop carries the whole input history; a new session id after each path or END); SMS users hold conversations (numbers, themes, words, SUITE pages, language changes) with unique message ids; API users search ten words. *rate*: open loop at the fixed rate, latency counted from when each request was due. *saturate*: closed loop, 32 users each sending as soon as its answer arrives.',
    '- Everything (server, Redis, generator) shares the same cores: at saturation the generator takes a large share of the CPU, so absolute req/s understate a dedicated server; the real/bare ratio is the comparable figure.',
    '',
  );
  lines.push('## Throughput and latency', '');
  lines.push(
    '| route | mode | target | req/s | p50 ms | p90 ms | p99 ms | max ms | ok / answered | server CPU (cores) | Redis CPU |',
  );
  lines.push('|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const { scenario, label } of SCENARIOS) {
    for (const mode of ['rate', 'saturate']) {
      for (const target of ['bare', 'real', 'everysec']) {
        const r = find(scenario, mode, target);
        const modeLabel = mode === 'rate' ? `${RATE}/s` : 'saturation';
        lines.push(
          `| ${label} | ${modeLabel} | ${target} | ${r.rps} | ${r.p50} | ${r.p90} | ${r.p99} | ${r.max} | ${r.ok} / ${r.completed}${r.errors ? ` (${r.errors} errors)` : ''} | ${r.serverCores} | ${r.redisCores} |`,
        );
      }
    }
  }
  lines.push('', '## Against the targets', '');
  lines.push('| figure | measured | target | |');
  lines.push('|---|---:|---:|---|');
  for (const { scenario, label } of SCENARIOS) {
    for (const target of ['real', 'everysec']) {
      const ratio =
        find(scenario, 'saturate', target).rps / Math.max(1, find(scenario, 'saturate', 'bare').rps);
      const p99 = find(scenario, 'rate', target).p99;
      lines.push(
        `| ${label}, ${target}: ${target}/bare throughput at saturation | ${ratio.toFixed(2)} | ≥ 0.6 | ${verdict(ratio >= 0.6)} |`,
      );
      lines.push(
        `| ${label}, ${target}: p99 at ${RATE} req/s | ${p99} ms | < 10 ms | ${verdict(p99 < 10)} |`,
      );
    }
  }
  const heaviest = Math.max(...bytes.map((b) => Math.max(b.gzip, b.br)));
  lines.push(
    `| heaviest site page on the wire (HTML + CSS, gzip or brotli, table below) | ${(heaviest / 1024).toFixed(1)} KB | ≤ ${PAGE_BUDGET_BYTES / 1024} KB | ${verdict(heaviest <= PAGE_BUDGET_BYTES)} |`,
  );
  lines.push(
    `| start-up, spawn to /healthz 200 (median of ${starts.length}: ${starts.join(', ')} ms) | ${median} ms | < 1500 ms | ${verdict(median < 1500)} |`,
  );
  lines.push(
    `| resident memory after the load (VmRSS; /metrics says ${metricsRss} MB; ${rssBefore} MB before the load) | ${rssAfter} MB | < 150 MB | ${verdict(rssAfter < 150)} |`,
  );
  lines.push('', '## Public site: bytes per page kind', '');
  lines.push(
    'Each page as the real service serves it (one request: HTML with its CSS inlined, nothing else to fetch), bytes of the body on the wire; the largest of the three languages, and which one. Chromium sends `br` only over HTTPS, so gzip is what a phone gets over plain HTTP.',
    '',
    '| page kind | path (fr) | HTML, uncompressed | gzip | brotli | largest in |',
    '|---|---|---:|---:|---:|---|',
  );
  for (const { kind, path } of PAGE_KINDS) {
    const rows = bytes.filter((b) => b.kind === kind);
    const worst = rows.reduce((a, b) => (b.gzip > a.gzip ? b : a));
    const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
    lines.push(
      `| ${kind} | \`${path}\` | ${kb(Math.max(...rows.map((r) => r.identity)))} | ${kb(Math.max(...rows.map((r) => r.gzip)))} | ${kb(Math.max(...rows.map((r) => r.br)))} | ${worst.lang} |`,
    );
  }
  lines.push('');
  // The peer benchmark's figures (bench/peer-ussd.md, from ../shared/bench/peer-ussd/run.sh)
  // beside this run's, then the analysis written by hand (bench/notes.md): carried into every report.
  const peerFile = process.env.BENCH_PEER_FILE ?? 'bench/peer-ussd.md';
  if (existsSync(peerFile)) lines.push(readFileSync(peerFile, 'utf8').trim(), '');
  const notesFile = process.env.BENCH_NOTES_FILE ?? 'bench/notes.md';
  const notes = existsSync(notesFile) ? readFileSync(notesFile, 'utf8') : '';
  if (notes) lines.push(notes.trim(), '');
  return `${lines.join('\n')}\n`;
}

try {
  await main();
} finally {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
}
