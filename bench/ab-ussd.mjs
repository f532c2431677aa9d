/**
 * A/B of USSD hops between builds (and the ussd-menu-builder peer), one after the other on the
 * same machine, with the peer tool's load generator (`../shared/bench/peer-ussd/load.mjs`,
 * copied to $TMPDIR/peer-bench-tool by its run.sh, which also installs the peer):
 *
 *   node bench/ab-ussd.mjs before=/tmp/build-a after=/tmp/build-b [peer=peer]
 *
 * Each build is a directory holding `dist/` (npm run build), `content/` and `node_modules`.
 * Per target: its own redis-server (no persistence), the bundle with the image's NODE_OPTIONS
 * and the peer benchmark's environment; then a closed-loop saturation (32 connections, 2 s
 * warm-up, SAT ms measured) and an open loop at RATE hops/s for 10 s. CPU from /proc (cores
 * over the generator's life, µs per hop = cores ÷ req/s). Knobs: MODES (saturate,rate), REPS,
 * SAT (8000), RATE (500), PROF (a directory: --cpu-prof), XNODE (extra node flags).
 */
/* global process, console, fetch, performance, setTimeout */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const TOOL = process.env.PEER_BENCH_TOOL ?? join(tmpdir(), 'peer-bench-tool');
const TOKEN = 'peerbench-webhook-token-0123456789';
const NODE_OPTIONS = '--max-semi-space-size=8 --max-old-space-size=128';
const CLK_TCK = 100;
const cpuSeconds = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
let port = 24000 + Math.floor(Math.random() * 1000);

async function waitHttp(url) {
  for (let i = 0; i < 150; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`no answer from ${url}`);
}

async function start(name, target) {
  const redisPort = port++;
  const httpPort = port++;
  const redis = spawn(
    'redis-server',
    [
      '--port',
      String(redisPort),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      mkdtempSync(join(tmpdir(), 'ab-')),
    ],
    { stdio: 'ignore' },
  );
  await sleep(300);
  const flags = [
    ...(process.env.PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.PROF] : []),
    ...(process.env.XNODE ? process.env.XNODE.split(' ') : []),
  ];
  const isPeer = target === 'peer';
  const child = spawn(
    process.execPath,
    [...flags, isPeer ? join(TOOL, 'peer-server.mjs') : 'dist/adapters/main.js'],
    {
      cwd: isPeer ? TOOL : target,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        NODE_OPTIONS,
        PORT: String(httpPort),
        HOST: '127.0.0.1',
        REDIS_URL: `redis://127.0.0.1:${redisPort}`,
        CONTENT_FILE: join(isPeer ? process.cwd() : target, 'content/recommendations.json'),
        SESSION_TTL_SECONDS: '300',
        WEBHOOK_TOKEN: TOKEN,
        PHONE_HASH_KEY: 'peerbench-phone-hash-key-0123456789',
        METRICS_TOKEN: 'peerbench-metrics-token-0123456789',
        LOG_LEVEL: 'warn',
        USSD_SESSION_TTL_SECONDS: '300',
        RATE_LIMIT_PER_MINUTE: '100000',
        API_RATE_LIMIT_PER_MINUTE: '1000000',
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  const base = `http://127.0.0.1:${httpPort}`;
  await waitHttp(`${base}/healthz`);
  return { name, child, redis, base, path: isPeer ? '/ussd' : `/ussd/${TOKEN}` };
}

async function load(target, spec) {
  const before = cpuSeconds(target.child.pid);
  const started = performance.now();
  const generator = spawn(
    process.execPath,
    [join(TOOL, 'load.mjs'), JSON.stringify({ ...spec, base: target.base, path: target.path })],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  generator.stdout.on('data', (chunk) => (out += chunk));
  await once(generator, 'exit');
  const seconds = (performance.now() - started) / 1000;
  const result = JSON.parse(out.trim().split('\n').at(-1));
  const cores = (cpuSeconds(target.child.pid) - before) / seconds;
  return { ...result, cores, usPerHop: Math.round((cores * 1e6) / result.rps) };
}

const targets = process.argv.slice(2).map((arg) => arg.split('='));
if (targets.length === 0) {
  process.stderr.write('usage: node bench/ab-ussd.mjs name=<build dir>|peer ...\n');
  process.exit(2);
}
const modes = (process.env.MODES ?? 'saturate,rate').split(',');
const reps = Number(process.env.REPS ?? 1);
const running = [];
for (const [name, dir] of targets) running.push(await start(name, dir));
console.log(`# ${new Date().toISOString()} ${targets.map((t) => t.join('=')).join(' ')}`);
for (let rep = 0; rep < reps; rep++)
  for (const mode of modes)
    for (const target of rep % 2 ? [...running].reverse() : running) {
      const spec =
        mode === 'saturate'
          ? {
              mode,
              users: 1000,
              connections: 32,
              warmupMs: 2000,
              durationMs: Number(process.env.SAT ?? 8000),
              seed: 100 + rep,
            }
          : {
              mode,
              users: 1000,
              rate: Number(process.env.RATE ?? 500),
              warmupMs: 1000,
              durationMs: 10000,
              seed: 101 + rep,
            };
      const r = await load(target, spec);
      console.log(
        `${mode.padEnd(8)} ${target.name.padEnd(8)} ${String(r.rps).padStart(6)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms  ` +
          `${r.cores.toFixed(2)} cores  ${r.usPerHop} µs/hop  not ok ${r.notOk}`,
      );
    }
for (const target of running) {
  target.child.kill('SIGTERM');
  target.redis.kill();
}
await sleep(1500);
process.exit(0);
