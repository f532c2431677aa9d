/**
 * What the SMS channel costs in time: the segment library, rendering (cold and cached), and
 * POST /sms over real HTTP to the service in-process (memory store, dev outbox), from the
 * gateway's request to its 200 and until the reply is in the outbox. Prints figures only.
 *
 *   npx tsx scripts/bench-sms.ts
 *   MESSAGES=2000 CONCURRENCY=50 npx tsx scripts/bench-sms.ts
 *   REDIS_URL=redis://127.0.0.1:6379 npx tsx scripts/bench-sms.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus } from 'node:os';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../adapters/logging.js';
import { createService } from '../adapters/service.js';
import { createSmsRenderer, renderSms } from '../adapters/sms/render.js';
import { countSegments } from '../adapters/sms/segments.js';
import { SegmentedMessage } from 'sms-segments-calculator';
import { loadConfig } from '../src/config.js';
import type { Reply } from '../src/core/types.js';

const MESSAGES = Number(process.env.MESSAGES ?? 1000);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 20);
const TEXTS = [
  'aide',
  'themes',
  'T2',
  '2.15',
  '480',
  'SUITE',
  'eau',
  'route Kidal',
  'corruption',
  'INFO',
  'xyzzy',
];

const ms = (start: number) => performance.now() - start;
function percentiles(samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!.toFixed(2);
  return `p50 ${at(50)} ms  p95 ${at(95)} ms  p99 ${at(99)} ms  max ${sorted.at(-1)!.toFixed(2)} ms  (n=${sorted.length})`;
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'dim-bench-sms-'));
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    RATE_LIMIT_PER_MINUTE: '100000',
    LOG_LEVEL: 'silent',
    // SMS only: no voice prompts synthesised in the background while it measures.
    VOICE_SYNTHESIS: 'off',
  });
  const service = createService(config, createLogger('silent'));
  const { engine } = service;
  console.log(`node ${process.version}, ${cpus().length} CPU(s) ${cpus()[0]?.model ?? ''}`);

  const sample = engine.recommendation('1.38')!.text;
  let start = performance.now();
  for (let i = 0; i < 200; i++) new SegmentedMessage(`${sample}${i}`, 'auto');
  console.log(
    `sms-segments-calculator: ${(ms(start) / 200).toFixed(2)} ms per count of ${sample.length} characters`,
  );
  countSegments(sample);
  start = performance.now();
  for (let i = 0; i < 200; i++) countSegments(sample);
  console.log(`countSegments of a text counted before (memo): ${((ms(start) / 200) * 1000).toFixed(1)} µs`);

  const recs: Reply[] = engine.corpus.recommendations.map((r) =>
    engine.respond({ kind: 'recommendation', theme: r.theme, number: r.number }),
  );
  const perRec: number[] = [];
  for (const reply of recs) {
    start = performance.now();
    renderSms(reply, 'fr', { maxSegments: config.SMS_MAX_SEGMENTS, engine });
    perRec.push(ms(start));
  }
  console.log(`render a recommendation, cold: ${percentiles(perRec)}`);
  const perTheme: number[] = [];
  for (let theme = 1; theme <= 5; theme++) {
    start = performance.now();
    const pages = renderSms(engine.respond({ kind: 'theme', theme }), 'fr', {
      maxSegments: config.SMS_MAX_SEGMENTS,
      engine,
    });
    perTheme.push(ms(start));
    console.log(`render theme ${theme} list, cold: ${ms(start).toFixed(1)} ms, ${pages.length} pages`);
  }
  const cached = createSmsRenderer({ maxSegments: config.SMS_MAX_SEGMENTS, engine });
  for (const reply of recs) cached(reply, 'fr');
  start = performance.now();
  for (const reply of recs) cached(reply, 'fr');
  console.log(`render a recommendation, cached: ${(ms(start) / recs.length).toFixed(3)} ms`);

  const port = await service.listen();
  const ack: number[] = [];
  let sent = 0;
  const wall = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < MESSAGES) {
      const i = next++;
      const body = new URLSearchParams({
        from: `+2237${String(1000000 + (i % 500)).padStart(7, '0')}`,
        to: '36000',
        text: TEXTS[i % TEXTS.length]!,
        id: `bench-${i}`,
        date: '2024-05-10',
      });
      const t0 = performance.now();
      const response = await fetch(`http://127.0.0.1:${port}/sms`, { method: 'POST', body });
      await response.text();
      ack.push(ms(t0));
      if (response.status === 200) sent++;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  await service.sms.flush();
  const seconds = ms(wall) / 1000;
  console.log(`POST /sms to 200, ${CONCURRENCY} concurrent: ${percentiles(ack)}`);
  console.log(
    `${sent}/${MESSAGES} accepted; ${(MESSAGES / seconds).toFixed(0)} messages/s including the replies into the outbox`,
  );
  console.log(`outbox holds ${service.sms.outbox?.list().length ?? 0} (keeps the last 200)`);
  await service.close();
  rmSync(dataDir, { recursive: true, force: true });
}

await main();
