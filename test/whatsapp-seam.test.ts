import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../adapters/logging.js';
import { MemorySessionStore } from '../adapters/stores/memory-store.js';
import { createWhatsAppChannel } from '../adapters/whatsapp/index.js';
import type { TurnInput } from '../adapters/whatsapp/turn.js';
import { loadConfig } from '../src/config.js';
import { loadCorpus } from '../src/content/load.js';
import { createEngine } from '../src/core/engine.js';
import { noMetrics, systemClock } from '../src/ports/index.js';
import { createPseudonymizer } from '../src/privacy/pseudonym.js';
import { createSearcher, loadLexicon } from '../src/search/index.js';
import { LogCapture } from './support/service.js';
import { WA, listReply, notification, sign, startFakeGraphApi, text } from './support/whatsapp.js';

describe('the conversation seam (turn.ts) of the WhatsApp channel', () => {
  it('when another turn is given in place of the shared use case, then the channel sends exactly what it returns, and nothing else of the channel changes', async () => {
    const graph = await startFakeGraphApi();
    const config = loadConfig({
      WHATSAPP_TOKEN: WA.token,
      WHATSAPP_APP_SECRET: WA.appSecret,
      WHATSAPP_VERIFY_TOKEN: WA.verifyToken,
      WHATSAPP_PHONE_NUMBER_ID: WA.phoneNumberId,
      WHATSAPP_API_ROOT: graph.url,
      DATA_DIR: mkdtempSync(join(tmpdir(), 'dim-wa-seam-')),
    });
    const corpus = loadCorpus(config.CONTENT_FILE);
    const seen: TurnInput[] = [];
    const channel = createWhatsAppChannel({
      config,
      engine: createEngine(corpus, createSearcher(corpus, loadLexicon(config.LEXICON_FILE))),
      store: new MemorySessionStore(),
      pseudonymize: createPseudonymizer('seam-test-key-0123456789'),
      logger: createLogger('silent', new LogCapture()),
      metrics: noMetrics,
      clock: systemClock,
      turn: async (input) => {
        seen.push(input);
        return {
          status: 'accepted',
          kind: 'echo',
          messages: [{ type: 'text', text: { body: `got ${input.input.kind}` } }],
        };
      },
    })!;
    const app = express();
    for (const route of channel.routes) app.use(route.path, route.router);
    const server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/whatsapp`;
    try {
      const now = Math.floor(Date.now() / 1000);
      const raw = JSON.stringify(
        notification([text('bonjour', { timestamp: now }), listReply('t:2:0', { timestamp: now })]),
      );
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(raw) },
        body: raw,
      });
      expect(response.status).toBe(200);
      await channel.flush();
      expect(seen.map((s) => s.input)).toEqual([
        { kind: 'text', text: 'bonjour' },
        { kind: 'choice', id: 't:2:0' },
      ]);
      expect(seen[0]!.pseudonym).toMatch(/^p_/);
      expect(graph.calls.map((c) => (c.payload as { text?: { body: string } }).text?.body)).toEqual([
        'got text',
        'got choice',
      ]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
      await graph.close();
    }
  });
});
