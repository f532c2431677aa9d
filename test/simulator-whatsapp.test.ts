import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../adapters/logging.js';
import { createService } from '../adapters/service.js';
import { MemorySessionStore } from '../adapters/stores/memory-store.js';
import { loadConfig } from '../src/config.js';
import { startService, type RunningService } from './support/service.js';
import { notification, sign, text } from './support/whatsapp.js';

/**
 * The simulator's WhatsApp chat over real HTTP: POST /simulator/whatsapp signs a Cloud API
 * notification, posts it to the service's own /whatsapp webhook, and answers with what the
 * channel sent to the Graph API (the dev sink, GET /dev/whatsapp).
 */
const PHONE = '+22370000042';
const WA_ID = PHONE.slice(1);

interface Row {
  id: string;
  title: string;
  description?: string;
}
interface Sent {
  type: string;
  text?: { body: string };
  interactive?: {
    type: 'list' | 'button';
    header?: { text: string };
    body: { text: string };
    action: {
      button?: string;
      sections?: Array<{ rows: Row[] }>;
      buttons?: Array<{ reply: { id: string; title: string } }>;
    };
  };
}

describe('the simulator WhatsApp chat, development defaults', () => {
  let running: RunningService;
  let dataDir: string;
  const say = async (body: unknown) => {
    const res = await fetch(`${running.baseUrl}/simulator/whatsapp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as { messages: Sent[] } };
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dim-sim-wa-'));
    running = await startService({ DATA_DIR: dataDir, LOG_LEVEL: 'info' });
  });
  afterAll(async () => {
    await running.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('when the page sends a text, then a list reply, then a button reply, then each goes through the signed /whatsapp webhook and comes back as the messages the channel sent', async () => {
    const config = await (await fetch(`${running.baseUrl}/simulator/config.json`)).json();
    expect(config).toMatchObject({ whatsapp: true });

    const first = await say({ phoneNumber: PHONE, text: 'eau' });
    expect(first.status).toBe(200);
    const list = first.json.messages.at(-1)!;
    expect(list.interactive?.type).toBe('list');
    const rows = list.interactive!.action.sections!.flatMap((section) => section.rows);
    const row = rows.find((r) => r.id === 'r:3.13')!;
    expect(row, JSON.stringify(rows)).toBeDefined();

    const second = await say({
      phoneNumber: PHONE,
      reply: { type: 'list_reply', id: row.id, title: row.title, description: row.description },
    });
    expect(second.status).toBe(200);
    const card = second.json.messages.at(-1)!;
    expect(card.interactive?.type).toBe('button');
    expect(card.interactive!.header?.text).toContain('3.13');
    const next = card.interactive!.action.buttons!.find((b) => b.reply.id === 'r:3.14')!;
    expect(next).toBeDefined();

    const third = await say({
      phoneNumber: PHONE,
      reply: { type: 'button_reply', id: next.reply.id, title: next.reply.title },
    });
    expect(third.status).toBe(200);
    expect(third.json.messages.at(-1)!.interactive!.header?.text).toContain('3.14');

    // The same three answers sit in the dev Graph sink, addressed by pseudonym only.
    const sink = (await (
      await fetch(`${running.baseUrl}/dev/whatsapp?to=${encodeURIComponent(PHONE)}`)
    ).json()) as Array<{
      to: string;
      message: Sent;
    }>;
    expect(sink.map((entry) => entry.message)).toEqual([
      ...first.json.messages,
      ...second.json.messages,
      ...third.json.messages,
    ]);
    expect(sink.every((entry) => /^p_/.test(entry.to))).toBe(true);

    // Three signed POSTs reached the webhook, the route Meta calls, and were accepted.
    const metrics = await (await fetch(`${running.baseUrl}/metrics`)).text();
    const webhook = metrics
      .split('\n')
      .find((line) =>
        /^dim_http_requests_total\{.*route="\/whatsapp.*method="POST".*status="200"/.test(line),
      );
    expect(
      webhook,
      metrics
        .split('\n')
        .filter((l) => l.startsWith('dim_http_requests_total'))
        .join('\n'),
    ).toMatch(/ 3$/);
    const received = running.logs.lines.filter((line) => line.includes('whatsapp message received'));
    expect(received.map((line) => (JSON.parse(line) as { input: string }).input)).toEqual([
      'text',
      'choice',
      'choice',
    ]);
    expect(running.logs.text).not.toContain('notification refused');
    // The fake number never appears in a log line, with or without its plus.
    expect(running.logs.text).not.toContain(WA_ID);
  });

  it('when a notification reaches /whatsapp signed with another secret, then the dev channel refuses it (401): the simulator must sign with the real one', async () => {
    const raw = JSON.stringify(notification([text('eau', { from: WA_ID })]));
    const res = await fetch(`${running.baseUrl}/whatsapp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(raw, 'not-the-secret') },
      body: raw,
    });
    expect(res.status).toBe(401);
  });

  it('when the page posts something that is not one text or one reply, then it is refused 400 and nothing is sent', async () => {
    const before = ((await (await fetch(`${running.baseUrl}/dev/whatsapp`)).json()) as unknown[]).length;
    for (const body of [
      { phoneNumber: PHONE },
      { phoneNumber: 'nobody', text: 'eau' },
      { phoneNumber: PHONE, text: 'eau', reply: { type: 'list_reply', id: 'r:2.15' } },
      { phoneNumber: PHONE, reply: { type: 'image', id: 'x' } },
      { phoneNumber: PHONE, text: 'x'.repeat(4097) },
    ]) {
      expect((await say(body)).status, JSON.stringify(body).slice(0, 80)).toBe(400);
    }
    expect(((await (await fetch(`${running.baseUrl}/dev/whatsapp`)).json()) as unknown[]).length).toBe(
      before,
    );
  });
});

describe('the simulator WhatsApp chat, where it is off', () => {
  const PRODUCTION_ENV = {
    NODE_ENV: 'production',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    // Nothing listens there: constructing the service must not need it (the store is overridden).
    REDIS_URL: 'redis://127.0.0.1:1',
    WEBHOOK_TOKEN: 'simulator-test-token-0123456789',
    PHONE_HASH_KEY: 'simulator-test-hash-key-0123456789',
  };

  it.each([
    ['production, even with SIMULATOR=on', { ...PRODUCTION_ENV, SIMULATOR: 'on' }, true],
    ['production', PRODUCTION_ENV, false],
    [
      'development with SIMULATOR=off',
      { NODE_ENV: 'development', PORT: '0', HOST: '127.0.0.1', SIMULATOR: 'off' },
      false,
    ],
  ])(
    'when the service runs in %s, then /simulator/whatsapp, /dev/whatsapp and /whatsapp are 404s',
    async (_name, env, pageServed) => {
      const dataDir = mkdtempSync(join(tmpdir(), 'dim-sim-wa-'));
      const config = loadConfig({ ...env, DATA_DIR: dataDir });
      const service = createService(config, createLogger('silent'), { store: new MemorySessionStore() });
      // The server alone: listen() would first read the follow-ups from that absent Redis.
      await new Promise<void>((resolve) => service.server.listen(0, '127.0.0.1', resolve));
      const base = `http://127.0.0.1:${(service.server.address() as AddressInfo).port}`;
      try {
        const post = await fetch(`${base}/simulator/whatsapp`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ phoneNumber: PHONE, text: 'eau' }),
        });
        expect(post.status).toBe(404);
        expect((await fetch(`${base}/dev/whatsapp`)).status).toBe(404);
        const raw = JSON.stringify(notification([text('eau', { from: WA_ID })]));
        const webhook = await fetch(`${base}/whatsapp`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(raw) },
          body: raw,
        });
        expect(webhook.status).toBe(404);
        expect(service.whatsapp).toBeUndefined();
        const page = await fetch(`${base}/simulator/config.json`);
        expect(page.status).toBe(pageServed ? 200 : 404);
        // The page is served (SIMULATOR=on), but told its WhatsApp chat is off.
        if (pageServed) expect(await page.json()).toMatchObject({ whatsapp: false });
      } finally {
        await service.close();
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  );
});
