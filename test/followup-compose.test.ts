import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFollowUpModule } from '../adapters/broadcast/compose.js';
import { FileFollowUpStore } from '../adapters/followup/file-store.js';
import { loadConfig } from '../src/config.js';

const silent = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };
const optOut = { has: async () => false, add: async () => {}, remove: async () => {}, close: async () => {} };

describe('the follow-up module from the configuration', () => {
  it('when no Redis is configured, then follow-ups and subscriptions use files and broadcasts are off with a reason', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dim-compose-'));
    try {
      const config = loadConfig({ DATA_DIR: dir, SUBSCRIBERS_KEY: 'k'.repeat(32) });
      const parts = createFollowUpModule(config, { optOut, themeCount: 5, logger: silent });
      expect(parts.followUps).toBeInstanceOf(FileFollowUpStore);
      expect(parts.subscriptions).toBeDefined();
      expect(parts.broadcaster).toBeUndefined();
      expect(parts.broadcastsDisabled).toMatch(/need Redis/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('when SUBSCRIBERS_KEY is missing, then nobody can subscribe (no number is ever stored unsealed)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dim-compose-'));
    try {
      const parts = createFollowUpModule(loadConfig({ DATA_DIR: dir }), {
        optOut,
        themeCount: 5,
        logger: silent,
      });
      expect(parts.subscriptions).toBeUndefined();
      expect(parts.broadcastsDisabled).toMatch(/SUBSCRIBERS_KEY/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('when the broadcast settings are out of range, then start-up refuses them', () => {
    expect(() => loadConfig({ SUBSCRIBERS_KEY: 'short' })).toThrow(/SUBSCRIBERS_KEY/);
    expect(() => loadConfig({ BROADCAST_TELEGRAM_PER_SECOND: '0' })).toThrow(/BROADCAST_TELEGRAM_PER_SECOND/);
    expect(() => loadConfig({ BROADCAST_SMS_RECIPIENTS_PER_REQUEST: '1001' })).toThrow(
      /BROADCAST_SMS_RECIPIENTS_PER_REQUEST/,
    );
    expect(() => loadConfig({ SMS_SEGMENT_COST: '-1' })).toThrow(/SMS_SEGMENT_COST/);
    // The documented limits (adapters/broadcast/limits.ts): Telegram ~30/s, WhatsApp 80/s.
    expect(loadConfig({})).toMatchObject({
      BROADCAST_SMS_REQUESTS_PER_SECOND: 5,
      BROADCAST_SMS_RECIPIENTS_PER_REQUEST: 100,
      BROADCAST_TELEGRAM_PER_SECOND: 30,
      BROADCAST_WHATSAPP_PER_SECOND: 80,
    });
  });
});
