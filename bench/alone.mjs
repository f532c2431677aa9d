/**
 * One build's real target alone on the machine: a redis-server configured as bench/run.ts's
 * (append-only, `appendfsync always` unless FSYNC=everysec), the bundle started as bench/run.ts
 * starts it (bench/service-env.ts), a 3 s saturation warm-up, then one measured load
 * of bench/load.ts. No bare route and no everysec target beside it: what a tail percentile
 * measures is this service and this Redis, not idle neighbours.
 *
 *   node --import tsx bench/alone.mjs /tmp/build-a [sms|ussd|search] [rate|saturate]
 *
 * The build directory holds `dist/` (npm run build), `content/` and `node_modules`. Knobs:
 * SECS (30), RATE (500), FSYNC (always), PROF (a directory: the service runs with --cpu-prof).
 * Prints one JSON line: req/s, p50/p99 ms, service and Redis cores, and Redis's commands per
 * request (INFO commandstats, script calls included).
 */
/* global process, console, fetch, setTimeout, URL */
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { freePort, startRedisServer } from '../test/support/redis-server.ts';
import { BENCH_TOKEN, serviceEnv } from './service-env.ts';

const [build = '.', scenario = 'sms', mode = 'rate'] = process.argv.slice(2);
const SECS = Number(process.env.SECS ?? 30);
const RATE = Number(process.env.RATE ?? 500);
const TOKEN = BENCH_TOKEN;
const cpu = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const redis = await startRedisServer({
  appendonly: true,
  appendfsync: process.env.FSYNC ?? 'always',
  extraArgs: ['--maxmemory-policy', 'noeviction'],
});
const port = await freePort();
const service = spawn(
  process.execPath,
  [
    ...(process.env.PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.PROF}`] : []),
    'dist/adapters/main.js',
  ],
  {
    cwd: build,
    stdio: 'ignore',
    env: serviceEnv(redis.url, port),
  },
);
const base = `http://127.0.0.1:${port}`;
for (;;) {
  if (
    await fetch(`${base}/readyz`).then(
      (res) => res.status === 200,
      () => false,
    )
  )
    break;
  if (service.exitCode !== null) throw new Error(`service exited ${service.exitCode}`);
  await sleep(50);
}

const spec = { base, scenario, ussdPath: `/ussd/${TOKEN}`, smsPath: `/sms/${TOKEN}`, connections: 32 };
async function load(extra) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'bench/load.ts', JSON.stringify({ ...spec, ...extra })],
    {
      cwd: new URL('..', import.meta.url).pathname,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  const [code] = await once(child, 'exit');
  if (code !== 0) throw new Error(`load generator exited ${code}`);
  return JSON.parse(out.trim().split('\n').at(-1));
}

await load({ mode: 'saturate', durationMs: 3000, maxRequests: 1e7, seed: 1 });
spawnSync('redis-cli', ['-p', String(redis.port), 'config', 'resetstat']);
const [service0, redis0] = [cpu(service.pid), cpu(redis.process.pid)];
const result = await load({ mode, rate: RATE, durationMs: SECS * 1000, maxRequests: 1e7, seed: 2 });
const seconds = result.elapsedMs / 1000;
const stats = spawnSync('redis-cli', ['-p', String(redis.port), 'info', 'commandstats'], {
  encoding: 'utf8',
}).stdout;
const perRequest = {};
for (const [, name, calls] of stats.matchAll(/^cmdstat_(\w+):calls=(\d+)/gm))
  if (!['info', 'config'].includes(name))
    perRequest[name] = Math.round((Number(calls) / result.completed) * 100) / 100;
console.log(
  JSON.stringify({
    build,
    scenario,
    mode,
    fsync: process.env.FSYNC ?? 'always',
    rps: Math.round(result.completed / seconds),
    p50: result.p50,
    p99: result.p99,
    ok: `${result.ok}/${result.completed}`,
    serviceCores: Math.round(((cpu(service.pid) - service0) / seconds) * 100) / 100,
    redisCores: Math.round(((cpu(redis.process.pid) - redis0) / seconds) * 100) / 100,
    redisCommandsPerRequest: perRequest,
  }),
);
service.kill('SIGTERM');
await once(service, 'exit');
await redis.stop();
