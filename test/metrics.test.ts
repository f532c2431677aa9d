import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { Router } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../adapters/http/app.js';
import { createLogger } from '../adapters/logging.js';
import { createPrometheusMetrics } from '../adapters/metrics/prometheus.js';
import { MemorySessionStore } from '../adapters/stores/memory-store.js';
import { loadConfig } from '../src/config.js';
import { loadCorpus } from '../src/content/load.js';
import { freePort } from './support/redis-server.js';
import { describeWithRedis } from './support/redis.js';
import { startService, type RunningService } from './support/service.js';

const TOKEN = 'hook-token-0123456789abcdef';
const METRICS_TOKEN = 'metrics-token-0123456789abcdef';

/** The value of one sample in a Prometheus text exposition, or undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const labelText = /\{(.*)\}/.exec(line)?.[1] ?? '';
    const all = Object.entries(labels).every(([key, value]) => labelText.includes(`${key}="${value}"`));
    if (all) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

async function scrape(baseUrl: string, init?: RequestInit): Promise<string> {
  const res = await fetch(`${baseUrl}/metrics`, init);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/plain');
  return res.text();
}

describe('metrics outside production', () => {
  let running: RunningService;
  beforeAll(async () => {
    running = await startService({ WEBHOOK_TOKEN: TOKEN });
  });
  afterAll(() => running.close());

  it('when /metrics is asked without a token, then it answers in Prometheus format with process metrics', async () => {
    const text = await scrape(running.baseUrl);
    expect(text).toContain('# TYPE dim_http_requests_total counter');
    expect(text).toContain('# TYPE dim_http_request_duration_seconds histogram');
    expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(text).toContain('nodejs_eventloop_lag_seconds');
  });

  it('when the port is called, then replies, empty searches, segments, rate limits and store errors are counted by label', async () => {
    const { metrics } = running.service;
    metrics.replySent('ussd', 'recommendation');
    metrics.replySent('ussd', 'recommendation');
    metrics.replySent('sms', 'no_result');
    metrics.searchWithoutResult('sms');
    metrics.smsSegmentsSent(3, 'GSM-7');
    metrics.smsSegmentsSent(2, 'UCS-2');
    metrics.smsSegmentsSent(1, 'GSM-7');
    metrics.rateLimited('telegram');
    metrics.storeError('set');
    const text = await scrape(running.baseUrl);
    expect(sample(text, 'dim_replies_total', { channel: 'ussd', kind: 'recommendation' })).toBe(2);
    expect(sample(text, 'dim_replies_total', { channel: 'sms', kind: 'no_result' })).toBe(1);
    expect(sample(text, 'dim_searches_without_result_total', { channel: 'sms' })).toBe(1);
    expect(sample(text, 'dim_sms_segments_sent_total', { encoding: 'GSM-7' })).toBe(4);
    expect(sample(text, 'dim_sms_segments_sent_total', { encoding: 'UCS-2' })).toBe(2);
    expect(sample(text, 'dim_rate_limited_total', { channel: 'telegram' })).toBe(1);
    expect(sample(text, 'dim_store_errors_total', { operation: 'set' })).toBe(1);
  });

  it('when /healthz is asked twice, then requests and latency are counted under channel ops and route /healthz', async () => {
    const before =
      sample(await scrape(running.baseUrl), 'dim_http_requests_total', { route: '/healthz' }) ?? 0;
    await fetch(`${running.baseUrl}/healthz`);
    await fetch(`${running.baseUrl}/healthz`);
    const text = await scrape(running.baseUrl);
    const labels = { channel: 'ops', route: '/healthz', method: 'GET', status: '200' };
    expect(sample(text, 'dim_http_requests_total', labels)).toBe(before + 2);
    expect(
      sample(text, 'dim_http_request_duration_seconds_count', { channel: 'ops', route: '/healthz' }),
    ).toBe(before + 2);
  });

  it('when an unknown URL carrying a query is asked, then it is counted as unmatched and neither path nor query appears', async () => {
    await fetch(`${running.baseUrl}/wp-admin/secret-probe?q=Mon%20num%C3%A9ro%2022370000000`);
    const text = await scrape(running.baseUrl);
    expect(sample(text, 'dim_http_requests_total', { channel: 'unmatched', status: '404' })).toBe(1);
    expect(text).not.toContain('wp-admin');
    expect(text).not.toContain('22370000000');
  });
});

describe('metrics route labels', () => {
  it('when routers are mounted with a token parameter, with the token in the path and at /, then labels carry the pattern that answered and never the token', async () => {
    const config = loadConfig({ NODE_ENV: 'test', WEBHOOK_TOKEN: TOKEN });
    const prometheus = createPrometheusMetrics({
      production: false,
      secrets: [TOKEN],
      processMetrics: false,
    });
    const ussd = Router().post('/:token', (_req, res) => {
      res.type('text/plain').send('CON Bienvenue');
    });
    const sms = Router().post('/', (_req, res) => {
      res.status(204).end();
    });
    const store = new MemorySessionStore();
    const app = createApp({
      config,
      logger: createLogger('silent'),
      corpus: loadCorpus(config.CONTENT_FILE),
      store,
      middleware: [prometheus.httpMiddleware],
      routes: [
        { path: '/ussd', router: ussd },
        { path: `/sms/${TOKEN}`, router: sms },
        { path: '/metrics', router: prometheus.router },
        { path: '/', router: Router().get('/', (_req, res) => void res.send('page')) },
      ],
    });
    const server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const base = `http://127.0.0.1:${port}`;
    try {
      expect((await fetch(`${base}/ussd/${TOKEN}?text=1*2`, { method: 'POST' })).status).toBe(200);
      expect((await fetch(`${base}/sms/${TOKEN}`, { method: 'POST' })).status).toBe(204);
      expect((await fetch(`${base}/`)).status).toBe(200);
      expect((await fetch(`${base}/probe/22370000000?q=x`)).status).toBe(404);
      const text = await (await fetch(`${base}/metrics`)).text();
      expect(sample(text, 'dim_http_requests_total', { channel: 'ussd', route: '/ussd/:token' })).toBe(1);
      expect(sample(text, 'dim_http_requests_total', { channel: 'sms', route: '/sms/:secret' })).toBe(1);
      expect(sample(text, 'dim_http_requests_total', { channel: 'web', route: '/' })).toBe(1);
      // Passed through the router at `/` without an answer: not labelled as that router's.
      expect(sample(text, 'dim_http_requests_total', { channel: 'unmatched', status: '404' })).toBe(1);
      expect(text).not.toContain('22370000000');
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain('1*2');
    } finally {
      await new Promise((resolve) => server.close(resolve));
      await store.close();
    }
  });
});

describe('metrics registries', () => {
  it('when two services run in one process, then each counts only its own requests', async () => {
    const a = await startService();
    const b = await startService();
    try {
      for (let i = 0; i < 3; i++) await fetch(`${a.baseUrl}/healthz`);
      await fetch(`${b.baseUrl}/healthz`);
      const labels = { route: '/healthz', status: '200' };
      expect(sample(await scrape(a.baseUrl), 'dim_http_requests_total', labels)).toBe(3);
      expect(sample(await scrape(b.baseUrl), 'dim_http_requests_total', labels)).toBe(1);
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describeWithRedis('metrics in production', (redisUrl) => {
  const production = { NODE_ENV: 'production', REDIS_URL: redisUrl, WEBHOOK_TOKEN: TOKEN };
  const key = { PHONE_HASH_KEY: 'phone-hash-key-0123456789' };

  it('when METRICS_TOKEN is not set, then /metrics is a 404 even with a token', async () => {
    const running = await startService({ ...production, ...key });
    try {
      expect((await fetch(`${running.baseUrl}/metrics`)).status).toBe(404);
      const res = await fetch(`${running.baseUrl}/metrics`, {
        headers: { authorization: `Bearer ${METRICS_TOKEN}` },
      });
      expect(res.status).toBe(404);
    } finally {
      await running.close();
    }
  });

  it('when METRICS_TOKEN is set, then only requests carrying it as a Bearer header get the metrics', async () => {
    const running = await startService({ ...production, ...key, METRICS_TOKEN });
    const url = `${running.baseUrl}/metrics`;
    try {
      expect((await fetch(url)).status).toBe(404);
      expect((await fetch(url, { headers: { authorization: 'Bearer wrong-token' } })).status).toBe(404);
      expect((await fetch(`${url}?token=${METRICS_TOKEN}x`)).status).toBe(404);
      expect((await fetch(url, { headers: { authorization: METRICS_TOKEN } })).status).toBe(404);
      const bearer = await fetch(url, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
      expect(bearer.status).toBe(200);
      expect(bearer.headers.get('cache-control')).toBe('no-store');
      expect(await bearer.text()).toContain('dim_http_requests_total');
      // Never in the query string, where proxies would log it.
      expect((await fetch(`${url}?token=${METRICS_TOKEN}`)).status).toBe(404);
    } finally {
      await running.close();
    }
  });
});

describe('what .env.example says of /metrics', () => {
  it('when an operator reads how to reach /metrics, then it is the Bearer header the service takes, never a token in the URL (which answers 404)', () => {
    const lines = readFileSync('.env.example', 'utf8')
      .split('\n')
      .filter((line) => /metrics/i.test(line));
    expect(lines.join('\n')).toMatch(/Bearer/);
    expect(lines.join('\n')).not.toMatch(/\?token=|\(Bearer or/);
  });
});

describe('store errors', () => {
  it('when the configured Redis cannot be reached, then failed operations are counted by operation and still rejected', async () => {
    const port = await freePort();
    const running = await startService({ REDIS_URL: `redis://127.0.0.1:${port}` });
    try {
      await expect(running.service.store.get('ussd:{p_x}:last')).rejects.toBeInstanceOf(Error);
      await expect(running.service.store.set('ussd:{p_x}:last', 1, 60)).rejects.toBeInstanceOf(Error);
      expect((await fetch(`${running.baseUrl}/readyz`)).status).toBe(503);
      const text = await scrape(running.baseUrl);
      expect(sample(text, 'dim_store_errors_total', { operation: 'get' })).toBe(1);
      expect(sample(text, 'dim_store_errors_total', { operation: 'set' })).toBe(1);
      expect(sample(text, 'dim_store_errors_total', { operation: 'ping' })).toBe(1);
    } finally {
      await running.close();
    }
  });
});

describe('the families /metrics exposes', () => {
  it('when every channel with metrics of its own is on, then /metrics holds exactly these dim_ families, each of its type', async () => {
    // Dashboards and alerts are written against these names: a rename is a breaking change.
    const running = await startService({
      VOICE_CALLBACK: 'on',
      WHATSAPP_TOKEN: 'whatsapp-token',
      WHATSAPP_APP_SECRET: 'whatsapp-app-secret',
      WHATSAPP_VERIFY_TOKEN: 'verify-token-0123456789',
      WHATSAPP_PHONE_NUMBER_ID: '1234567',
      WHATSAPP_API_ROOT: 'http://127.0.0.1:9',
    });
    try {
      const text = await scrape(running.baseUrl);
      const families = [...text.matchAll(/^# TYPE (dim_\w+) (\w+)$/gm)].map((m) => [m[1], m[2]]);
      const helps = [...text.matchAll(/^# HELP (dim_\w+) \S/gm)].map((m) => m[1]);
      expect(families.sort()).toEqual(
        [
          ['dim_http_requests_total', 'counter'],
          ['dim_http_request_duration_seconds', 'histogram'],
          ['dim_replies_total', 'counter'],
          ['dim_searches_without_result_total', 'counter'],
          ['dim_sms_segments_sent_total', 'counter'],
          ['dim_rate_limited_total', 'counter'],
          ['dim_store_errors_total', 'counter'],
          ['dim_menu_screens_total', 'counter'],
          ['dim_feedback_total', 'counter'],
          ['dim_search_misses_total', 'counter'],
          ['dim_wrong_answer_reports_total', 'counter'],
          ['dim_spend_today', 'gauge'],
          ['dim_spend_cap', 'gauge'],
          ['dim_spend_refused_total', 'counter'],
          ['dim_voice_callbacks_total', 'counter'],
          ['dim_voice_calls_started_total', 'counter'],
          ['dim_voice_calls_ended_total', 'counter'],
          ['dim_voice_call_duration_seconds', 'histogram'],
          ['dim_voice_call_cost_total', 'counter'],
          ['dim_voice_faults_total', 'counter'],
          ['dim_voice_synthesis_seconds', 'histogram'],
          ['dim_voice_synthesis_waits_total', 'counter'],
          ['dim_whatsapp_statuses_total', 'counter'],
          ['dim_whatsapp_sends_total', 'counter'],
          ['dim_whatsapp_errors_total', 'counter'],
          ['dim_whatsapp_duplicate_deliveries_total', 'counter'],
        ].sort(),
      );
      expect(helps.sort()).toEqual(families.map(([name]) => name).sort());
    } finally {
      await running.close();
    }
  });
});
