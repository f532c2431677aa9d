import type { Writable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { whatsappSender } from '../adapters/broadcast/gateway-senders.js';
import { createLogger } from '../adapters/logging.js';
import { createGraphClient, type GraphPolicy } from '../adapters/whatsapp/graph-client.js';
import type { OutgoingMessage } from '../adapters/whatsapp/limits.js';
import { LogCapture } from './support/service.js';
import {
  WA,
  notification,
  startFakeGraphApi,
  startWhatsAppService,
  text,
  type FakeGraphApi,
} from './support/whatsapp.js';

const hello: OutgoingMessage = { type: 'text', text: { body: 'Bonjour' } };
// A generous per-attempt timeout (the machine is shared and slow at times); the timeout test sets its own.
const FAST: Partial<GraphPolicy> = { attempts: 3, baseDelayMs: 5, maxDelayMs: 20, attemptTimeoutMs: 5000 };

describe('Graph API client against a fake Graph API', () => {
  let graph: FakeGraphApi;
  let logs: LogCapture;
  const client = (policy: Partial<GraphPolicy> = FAST, apiRoot = graph.url) =>
    createGraphClient({
      apiRoot,
      version: 'v23.0',
      phoneNumberId: WA.phoneNumberId,
      token: WA.token,
      logger: createLogger('debug', logs as Writable),
      policy,
    });

  beforeAll(async () => {
    graph = await startFakeGraphApi();
  });
  afterAll(() => graph.close());
  beforeEach(() => {
    graph.calls.length = 0;
    graph.script = undefined;
    logs = new LogCapture();
  });

  it('when Meta accepts, then the message id comes back and one request was made with the bearer token', async () => {
    const outcome = await client().send('22370000001', hello);
    expect(outcome).toEqual({ status: 'sent', messageId: 'wamid.out1' });
    expect(graph.calls).toHaveLength(1);
    expect(graph.calls[0]!.payload).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '22370000001',
      ...hello,
    });
  });

  it('when Meta answers 429 then 200, then it is retried after a pause and sent once', async () => {
    graph.script = (_call, i) =>
      i === 0
        ? { status: 429, body: { error: { code: 130429 } }, headers: { 'retry-after': '0' } }
        : undefined;
    const outcome = await client().send('22370000001', hello);
    expect(outcome.status).toBe('sent');
    expect(graph.calls).toHaveLength(2);
  });

  it('when Meta throttles with code 130429 on a 400, then it is retried too', async () => {
    graph.script = (_call, i) =>
      i < 2 ? { status: 400, body: { error: { code: 130429, message: 'Rate limit hit' } } } : undefined;
    expect((await client().send('22370000001', hello)).status).toBe('sent');
    expect(graph.calls).toHaveLength(3);
  });

  it('when Meta answers 500 every time, then it gives up after the bounded attempts', async () => {
    graph.script = () => ({ status: 500, body: { error: { code: 1, message: 'oops' } } });
    const outcome = await client().send('22370000001', hello);
    expect(outcome).toMatchObject({ status: 'failed', unknown: false });
    expect(graph.calls).toHaveLength(3);
  });

  it('when Meta refuses with a 400 (re-engagement 131047), then it is final at once', async () => {
    graph.script = () => ({
      status: 400,
      body: { error: { code: 131047, message: 'Re-engagement message' } },
    });
    const outcome = await client().send('22370000001', hello);
    expect(outcome).toMatchObject({ status: 'refused', code: 131047, httpStatus: 400 });
    expect(graph.calls).toHaveLength(1);
  });

  it('when the request went out and no answer came (timeout), then it is NOT retried: it may have been delivered', async () => {
    graph.script = () => 'hang';
    const outcome = await client({ ...FAST, attemptTimeoutMs: 300 }).send('22370000001', hello);
    expect(outcome).toMatchObject({ status: 'failed', unknown: true });
    await new Promise((r) => setTimeout(r, 100));
    expect(graph.calls).toHaveLength(1);
  });

  it('when the connection is cut after the request was read, then it is NOT retried', async () => {
    graph.script = () => 'drop';
    const outcome = await client().send('22370000001', hello);
    expect(outcome).toMatchObject({ status: 'failed', unknown: true });
    expect(graph.calls).toHaveLength(1);
  });

  it('when nothing listens (connection refused), then it is retried (nothing was sent) and gives up bounded', async () => {
    const closed = await startFakeGraphApi();
    await closed.close(); // its port is free now: nothing listens there
    const outcome = await client(FAST, closed.url).send('22370000001', hello);
    expect(outcome).toMatchObject({ status: 'failed', unknown: false, reason: 'ECONNREFUSED' });
    expect(logs.text.match(/no connection, retrying/g)).toHaveLength(2);
  });

  it('when a message breaks a limit, then it is refused before any request', async () => {
    const outcome = await client().send('22370000001', { type: 'text', text: { body: 'x'.repeat(4097) } });
    expect(outcome.status).toBe('refused');
    expect(graph.calls).toHaveLength(0);
  });

  it('when any of the above is logged, then the token and the number never appear', async () => {
    graph.script = (_call, i) =>
      i % 2 === 0
        ? { status: 500, body: { error: { code: 2, message: `bad token ${WA.token}` } } }
        : undefined;
    await client().send('22370000001', hello);
    graph.script = () => ({ status: 401, body: { error: { code: 190, message: 'token expired' } } });
    await client().send('22370000001', hello);
    expect(logs.lines.length).toBeGreaterThan(0);
    expect(logs.text).not.toContain(WA.token);
    expect(logs.text).not.toContain('22370000001');
  });
});

describe('Graph errors through the running service', () => {
  it('when Meta throttles a broadcast, then the service’s WhatsApp broadcast sender makes one attempt and asks the queue to wait as told', async () => {
    const h = await startWhatsAppService();
    try {
      const waId = '22370000004';
      await h.deliver(notification([text('bonjour', { from: waId })]));
      await h.service.whatsapp!.flush();
      const before = h.graph.calls.length;
      // What the WhatsApp module registers as the broadcast queue's sender (whatsapp/module.ts).
      const sender = whatsappSender(h.service.whatsapp!.broadcast);
      const person = { to: waId, pseudonym: h.service.pseudonymize(waId), key: 'b1.p' };
      h.graph.script = () => ({
        status: 429,
        body: { error: { code: 130429, message: 'Rate limit hit' } },
        headers: { 'retry-after': '3' },
      });
      expect(await sender.send(person, 'news')).toMatchObject({
        status: 'failed',
        retry: true,
        retryAfterMs: 3000,
      });
      // One attempt: the queue's pause does the waiting, not a loop inside the job.
      expect(h.graph.calls.length - before).toBe(1);
      const metrics = await h.service.prometheus.registry.metrics();
      expect(metrics).toContain('dim_whatsapp_errors_total{code="130429"} 1');
      h.graph.script = undefined;
      expect(await sender.send(person, 'news')).toEqual({ status: 'sent' });
      expect(h.graph.calls.at(-1)?.payload).toMatchObject({ to: waId, type: 'text', text: { body: 'news' } });
    } finally {
      await h.close();
    }
  });

  it('when Meta answers 131047 to a reply, then the window is closed and the rest of the answer is not sent', async () => {
    const h = await startWhatsAppService();
    try {
      h.graph.script = () => ({
        status: 400,
        body: { error: { code: 131047, message: 'Re-engagement message' } },
      });
      await h.deliver(notification([text('bonjour', { from: '22370000002' })]));
      expect(h.graph.calls).toHaveLength(1);
      const metrics = await h.service.prometheus.registry.metrics();
      expect(metrics).toContain('dim_whatsapp_errors_total{code="131047"} 1');
      expect(metrics).toContain('dim_whatsapp_sends_total{outcome="refused"} 1');
      // The window is closed now: a broadcast is not sent free-form.
      h.graph.script = undefined;
      expect(await h.service.whatsapp!.notify('22370000002', [{ type: 'text', text: { body: 'x' } }])).toBe(
        'skipped',
      );
      expect(h.graph.calls).toHaveLength(1);
      expect(h.logs.text).not.toContain(WA.token);
    } finally {
      await h.close();
    }
  });
});
