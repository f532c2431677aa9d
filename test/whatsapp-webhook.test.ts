import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  WA,
  buttonReply,
  listReply,
  message,
  notification,
  sign,
  startWhatsAppService,
  text,
  wamid,
  type WhatsAppHarness,
} from './support/whatsapp.js';
import { startService } from './support/service.js';

const PHONE = '22370000001';

describe('WhatsApp webhook over HTTP', () => {
  let h: WhatsAppHarness;
  beforeAll(async () => {
    h = await startWhatsAppService();
  });
  afterAll(() => h.close());
  beforeEach(() => {
    h.graph.calls.length = 0;
    h.graph.script = undefined;
  });

  const verify = (params: Record<string, string>) =>
    fetch(`${h.baseUrl}/whatsapp?${new URLSearchParams(params).toString()}`);

  describe('verification handshake', () => {
    it('when Meta sends subscribe with the verify token, then the challenge is echoed with 200', async () => {
      const response = await verify({
        'hub.mode': 'subscribe',
        'hub.verify_token': WA.verifyToken,
        'hub.challenge': '1158201444',
      });
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('1158201444');
    });

    it.each([
      [
        'a wrong token',
        { 'hub.mode': 'subscribe', 'hub.verify_token': 'verify-token-0123456788', 'hub.challenge': '1' },
      ],
      [
        'a token prefix',
        { 'hub.mode': 'subscribe', 'hub.verify_token': WA.verifyToken.slice(0, -1), 'hub.challenge': '1' },
      ],
      [
        'another mode',
        { 'hub.mode': 'unsubscribe', 'hub.verify_token': WA.verifyToken, 'hub.challenge': '1' },
      ],
      ['no challenge', { 'hub.mode': 'subscribe', 'hub.verify_token': WA.verifyToken }],
      [
        'a script as challenge',
        { 'hub.mode': 'subscribe', 'hub.verify_token': WA.verifyToken, 'hub.challenge': '<script>' },
      ],
      ['nothing', {}],
    ])('when the handshake has %s, then it is refused with 403', async (_what, params) => {
      const response = await verify(params as Record<string, string>);
      expect(response.status).toBe(403);
      expect(await response.text()).not.toContain('<script>');
    });
  });

  describe('signatures', () => {
    const body = () => notification([text('2.15', { from: PHONE })]);

    it('when the signature is missing, then 401 and nothing is sent', async () => {
      const response = await h.post(body(), { signature: null });
      expect(response.status).toBe(401);
      await h.service.whatsapp!.flush();
      expect(h.graph.calls).toHaveLength(0);
    });

    it.each([
      ['made with another secret', sign(JSON.stringify({ a: 1 }), 'another-secret')],
      ['not hex', `sha256=${'z'.repeat(64)}`],
      ['of another algorithm', `sha1=${'a'.repeat(40)}`],
      ['empty', ''],
    ])('when the signature is %s, then 401 and nothing is sent', async (_what, signature) => {
      const response = await h.post(body(), { signature });
      expect(response.status).toBe(401);
      await h.service.whatsapp!.flush();
      expect(h.graph.calls).toHaveLength(0);
    });

    it("when a signed body is replayed with a changed byte or with another body's signature, then 401", async () => {
      const original = JSON.stringify(body());
      const signature = sign(original);
      expect((await h.post(undefined, { raw: original.replace('2.15', '2.16'), signature })).status).toBe(
        401,
      );
      const other = JSON.stringify(notification([text('3.1', { from: PHONE })]));
      expect((await h.post(undefined, { raw: original, signature: sign(other) })).status).toBe(401);
      await h.service.whatsapp!.flush();
      expect(h.graph.calls).toHaveLength(0);
    });

    it('when the body is not JSON but correctly signed, then 400; when it is JSON but not a notification, then 400', async () => {
      expect((await h.post(undefined, { raw: '{"object":' })).status).toBe(400);
      expect((await h.post({ object: 'page', entry: [] })).status).toBe(400);
      expect((await h.post([1, 2, 3])).status).toBe(400);
    });

    it('when the body is larger than the limit, then 413 before it is hashed', async () => {
      const raw = JSON.stringify({
        object: 'whatsapp_business_account',
        entry: [],
        pad: 'x'.repeat(70 * 1024),
      });
      const response = await h.post(undefined, { raw });
      expect(response.status).toBe(413);
    });
  });

  describe('every message kind', () => {
    const lastPayloads = async (count = 1) => {
      await h.graph.waitForCalls(count);
      return h.graph.calls.map((c) => c.payload);
    };

    it('when a text arrives, then 200 comes back and the answer goes to the sender through the Graph API', async () => {
      const response = await h.deliver(notification([text('2.15', { from: PHONE })]));
      expect(response.status).toBe(200);
      const [payload] = await lastPayloads();
      expect(h.graph.calls[0]!.path).toBe(`/v23.0/${WA.phoneNumberId}/messages`);
      expect(h.graph.calls[0]!.authorization).toBe(`Bearer ${WA.token}`);
      expect(payload).toMatchObject({ messaging_product: 'whatsapp', to: PHONE, type: 'interactive' });
      expect(JSON.stringify(payload)).toContain('Recommandation 2.15');
    });

    it('when a list row is chosen, then its id is followed (theme 3 list)', async () => {
      await h.deliver(notification([listReply('t:3:0', { from: PHONE })]));
      const [payload] = await lastPayloads();
      expect(payload).toMatchObject({ type: 'interactive', interactive: { type: 'list' } });
      expect(JSON.stringify(payload)).toContain('"id":"r:3.1"');
    });

    it('when a reply button is tapped, then its id is followed (share 1.1)', async () => {
      await h.deliver(notification([buttonReply('s:1.1', { from: PHONE })]));
      const payloads = await lastPayloads(2);
      expect(payloads[0]).toMatchObject({ type: 'text' });
      expect(JSON.stringify(payloads[0])).toContain('1.1');
    });

    it('when a photo arrives with a caption, then the caption is read as text', async () => {
      await h.deliver(
        notification([
          message('image', { id: 'media1', mime_type: 'image/jpeg', caption: '4.2' }, { from: PHONE }),
        ]),
      );
      const [payload] = await lastPayloads();
      expect(JSON.stringify(payload)).toContain('Recommandation 4.2');
    });

    it.each([
      ['audio', { id: 'a1', mime_type: 'audio/ogg', voice: true }, 'texte'],
      ['image', { id: 'i1', mime_type: 'image/jpeg' }, 'boutons'],
      ['sticker', { id: 's1', mime_type: 'image/webp' }, 'boutons'],
      ['location', { latitude: 12.6, longitude: -8 }, 'boutons'],
      ['contacts', [{ name: { formatted_name: 'A' } }], 'boutons'],
      ['reaction', { message_id: 'wamid.x', emoji: '👍' }, 'boutons'],
      ['unsupported', undefined, 'boutons'],
      ['order', { catalog_id: '1' }, 'boutons'],
    ])('when a %s arrives, then one short line says what the bot reads', async (type, content, word) => {
      await h.deliver(notification([message(type, content, { from: PHONE })]));
      const payloads = await lastPayloads();
      expect(payloads).toHaveLength(1);
      expect(payloads[0]).toMatchObject({ type: 'text' });
      const body = (payloads[0] as { text: { body: string } }).text.body;
      expect(body).toContain(word);
      expect(body.split('\n')).toHaveLength(1);
    });

    it('when a button id we never made arrives, then a polite "no longer valid" is sent', async () => {
      await h.deliver(notification([buttonReply('r:9.99x', { from: PHONE })]));
      const [payload] = await lastPayloads();
      expect(JSON.stringify(payload)).toContain('plus valable');
    });

    it('when a notification is for another phone number id of the app, then nothing is answered', async () => {
      const response = await h.deliver(notification([text('2.15', { from: PHONE })], [], '999999999'));
      expect(response.status).toBe(200);
      expect(h.graph.calls).toHaveLength(0);
    });
  });

  describe('idempotence and statuses', () => {
    it('when Meta delivers the same message twice (even at once), then it is answered once', async () => {
      const once = text('2.15', { from: PHONE, id: 'wamid.same-id-1' });
      const [a, b] = await Promise.all([h.post(notification([once])), h.post(notification([once]))]);
      expect([a.status, b.status]).toEqual([200, 200]);
      await h.service.whatsapp!.flush();
      await h.deliver(notification([once]));
      expect(h.graph.calls).toHaveLength(1);
      const metrics = await h.service.prometheus.registry.metrics();
      expect(metrics).toMatch(/dim_whatsapp_duplicate_deliveries_total 2/);
    });

    it('when statuses arrive (sent, delivered, read, failed), then each is counted and no number is logged', async () => {
      const statuses = ['sent', 'delivered', 'read', 'failed'].map((status, i) => ({
        id: `wamid.out-status-${i}`,
        status,
        timestamp: '1749416383',
        recipient_id: '22370009999',
        ...(status === 'failed' ? { errors: [{ code: 131026, title: 'Message undeliverable' }] } : {}),
      }));
      expect((await h.deliver(notification([], statuses))).status).toBe(200);
      const metrics = await h.service.prometheus.registry.metrics();
      for (const status of ['sent', 'delivered', 'read', 'failed'])
        expect(metrics).toContain(`dim_whatsapp_statuses_total{status="${status}"} 1`);
      expect(metrics).toContain('dim_whatsapp_errors_total{code="131026"} 1');
      expect(h.graph.calls).toHaveLength(0);
    });
  });

  it('when everything above ran, then no log line carries a phone number, a message id (it encodes the number), a text or a secret', () => {
    const logs = h.logs.text;
    expect(logs).toContain('whatsapp message received');
    const sample = wamid(PHONE);
    expect(Buffer.from(sample.slice(6), 'base64').toString('latin1')).toContain(PHONE);
    for (const secret of [
      PHONE,
      '22370009999',
      WA.token,
      WA.appSecret,
      WA.verifyToken,
      'Recommandation 2.15',
      'wamid.',
    ])
      expect(logs).not.toContain(secret);
  });

  it('when messages were processed, then no store key carries a number or a message id', () => {
    const keys = [...h.store.keys];
    // The seen-marks of the shared use case, under a digest of the id (never the id itself).
    const seen = keys.filter((key) => key.startsWith('whatsapp:msg:meta:'));
    expect(seen.length).toBeGreaterThan(0);
    for (const key of seen) expect(key).toMatch(/^whatsapp:msg:meta:[\w-]{32}$/);
    for (const key of keys) {
      expect(key).not.toContain(PHONE);
      expect(key).not.toContain('wamid');
      expect(key).not.toMatch(/\d{8,}/);
    }
  });
});

describe('WhatsApp channel off', () => {
  it('when WHATSAPP_* is unset and the simulator is off, then /whatsapp does not exist', async () => {
    const running = await startService({ SIMULATOR: 'off' });
    try {
      expect(running.service.whatsapp).toBeUndefined();
      expect((await fetch(`${running.baseUrl}/whatsapp?hub.mode=subscribe`)).status).toBe(404);
      expect((await fetch(`${running.baseUrl}/whatsapp`, { method: 'POST', body: '{}' })).status).toBe(404);
    } finally {
      await running.close();
    }
  });

  it('when WHATSAPP_* is unset in development, then /whatsapp is only the simulator’s: no verify token or signature of ours is accepted', async () => {
    const running = await startService();
    try {
      const verify = `hub.mode=subscribe&hub.verify_token=${WA.verifyToken}&hub.challenge=1234`;
      expect((await fetch(`${running.baseUrl}/whatsapp?${verify}`)).status).toBe(403);
      const raw = JSON.stringify(notification([text('bonjour')]));
      const signed = await fetch(`${running.baseUrl}/whatsapp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(raw) },
        body: raw,
      });
      expect(signed.status).toBe(401);
    } finally {
      await running.close();
    }
  });
});
