/**
 * How fast POST /ussd answers under load: the real service in-process, real HTTP, many
 * concurrent Africa's Talking sessions each walking a typical path (home, themes, a theme,
 * a page more, a recommendation, its next page; a search; a number). Prints latency
 * percentiles per hop and throughput. Operators give a hop about 10 s; we aim far below.
 *
 *   npx tsx scripts/bench-ussd.ts                         # memory store
 *   REDIS_URL=redis://127.0.0.1:6379 npx tsx scripts/bench-ussd.ts
 *   SESSIONS=2000 CONCURRENCY=100 npx tsx scripts/bench-ussd.ts
 */
import { randomUUID } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { createLogger } from '../adapters/logging.js';
import { createService } from '../adapters/service.js';
import { loadConfig } from '../src/config.js';

const SESSIONS = Number(process.env.SESSIONS ?? 1000);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 50);
const PATHS = [
  ['1', '2', '98', '15', '98'],
  ['1', '4', '98', '98', '80', '98', '98'],
  ['2', 'eau', '1'],
  ['2', 'route Kidal', '2', '0', '0'],
  ['3', '215', '0', '480', '98'],
  ['4', '98', '00', '1', '5'],
];

async function main() {
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    // The per-person budget would throttle the benchmark's own phones: measure the menus, not the limiter.
    RATE_LIMIT_PER_MINUTE: '100000',
  });
  const service = createService(config, createLogger('silent'));
  const port = await service.listen();
  const url = `http://127.0.0.1:${port}/ussd`;
  const latencies: number[] = [];
  let failures = 0;

  async function runSession(n: number) {
    const sessionId = `ATUid_${randomUUID().replace(/-/g, '')}`;
    const phoneNumber = `+2237${String(n).padStart(7, '0')}`;
    const path = PATHS[n % PATHS.length]!;
    for (let hop = 0; hop <= path.length; hop += 1) {
      const text = path.slice(0, hop).join('*');
      const started = performance.now();
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          sessionId,
          phoneNumber,
          serviceCode: '*384#',
          networkCode: '61001',
          text,
        }),
      });
      const body = await res.text();
      latencies.push(performance.now() - started);
      if (res.status !== 200 || !/^(CON|END) /.test(body)) failures += 1;
    }
  }

  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < SESSIONS) await runSession(next++);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!.toFixed(1);
  const store = config.REDIS_URL ? 'redis' : 'memory';
  console.log(
    `USSD benchmark: ${SESSIONS} sessions, ${latencies.length} hops, concurrency ${CONCURRENCY}, store ${store}`,
  );
  console.log(`  latency ms  p50 ${pct(50)}  p95 ${pct(95)}  p99 ${pct(99)}  max ${pct(100)}`);
  console.log(`  throughput  ${(latencies.length / seconds).toFixed(0)} hops/s over ${seconds.toFixed(1)} s`);
  console.log(`  failures    ${failures}`);
  // The load client runs in the same process: on a busy machine every figure above is pessimistic.
  console.log(
    `  machine     ${cpus().length} cores, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  await service.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
