import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryConsoleRecords } from '../adapters/console/records.js';
import { createConsoleRouter } from '../adapters/console/router.js';
import { countSegments } from '../adapters/sms/segments.js';
import { MemorySessionStore } from '../adapters/stores/memory-store.js';
import { MemoryRateLimiter } from '../adapters/stores/rate-limiter.js';
import { parseConsoleUsers } from '../src/config.js';
import type { FollowUpStore } from '../src/followup/store.js';
import { ConsoleClient, PASSWORDS, consoleUsers } from './support/console.js';

/**
 * The console when a store fails under it (Redis down, a full disk): the operator gets a page
 * that says nothing was saved (503, Retry-After), never a raw 500, and keeps the session.
 */
const down = () => Promise.reject(new Error('store down'));
const failing: FollowUpStore = {
  latest: down,
  history: down,
  all: down,
  publish: down,
  close: async () => {},
};
const errors: string[] = [];
const logger = {
  debug() {},
  info() {},
  warn() {},
  error: (_fields: unknown, message: string) => void errors.push(message),
  child: () => logger,
};

let base = '';
let close: () => Promise<void>;

beforeAll(async () => {
  const accounts = parseConsoleUsers(await consoleUsers());
  if (typeof accounts === 'string') throw new Error(accounts);
  const app = express();
  app.use(
    '/admin',
    createConsoleRouter({
      accounts,
      retentionDays: 30,
      segmentCost: 0,
      currency: 'XOF',
      analytics: { report: down },
      records: new MemoryConsoleRecords({ auditRetentionDays: 30, toFixRetentionDays: 30 }),
      sessions: new MemorySessionStore(),
      loginLimiter: new MemoryRateLimiter(100, 60_000),
      loginPageLimiter: new MemoryRateLimiter(100, 60_000),
      hashAddress: (address) => `h_${address.length}`,
      clock: { now: Date.now },
      logger,
      news: {
        followUps: failing,
        onPublished: async () => {},
        recommendation: (id) => ({ id, themeShort: 'Thème', label: 'Intitulé', text: 'Texte.', items: [] }),
        themes: [1, 2, 3, 4, 5],
        broadcastsDisabled: 'test',
        countSegments,
        currency: 'XOF',
      },
    }),
  );
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => new Promise((resolve) => server.close(() => resolve()));
});
afterAll(() => close());

describe('the console over a failing store', () => {
  it('when the follow-up store does not answer, then pages and publications get a 503 page that says nothing was saved, and the session stays', async () => {
    const ed = new ConsoleClient(base);
    expect((await ed.login('ed', PASSWORDS.ed)).status).toBe(303);
    for (const path of ['/admin/followups', '/admin/followups/2.10', '/admin/dashboard']) {
      const page = await ed.get(path);
      expect(page.status, path).toBe(503);
      expect(page.headers.get('retry-after')).toBe('5');
      expect(page.text).toContain('rien n’a été enregistré');
    }
    const token = await ed.token('/admin/audit');
    const publish = await ed.post('/admin/followups/2.10', {
      _csrf: token,
      expectedVersion: '0',
      status: 'announced',
      date: '2025-08-07',
      source: 'Charte pour la paix',
      note: '',
    });
    expect(publish.status).toBe(503);
    expect((await ed.get('/admin/audit')).status).toBe(200);
    expect(errors).toContain('console: request failed');
  });
});
