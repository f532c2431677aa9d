import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OutboxEntry } from '../../adapters/sms/senders/outbox.js';
import { startService, type RunningService } from './service.js';

export interface SmsHarness extends RunningService {
  dataDir: string;
  /** Posts an incoming SMS as Africa's Talking does (form fields) and returns status and JSON body. */
  incoming(
    text: string,
    options?: { from?: string; id?: string },
  ): Promise<{ status: number; body: Record<string, unknown> }>;
  /** Posts a raw form body to a path (bad-input tests). */
  post(path: string, body: string, contentType?: string): Promise<{ status: number; body: unknown }>;
  /** Waits for pending sends, then reads GET /dev/outbox. */
  outbox(): Promise<OutboxEntry[]>;
  /** Closes the service; removes the data directory unless `keepData`. */
  stop(keepData?: boolean): Promise<void>;
}

let counter = 0;
export const PHONE = '+22370000001';

/** The real service in-process with a throwaway DATA_DIR (opt-out journal, phone-hash key). */
export async function startSmsHarness(
  env: Record<string, string> = {},
  dataDir?: string,
  overrides: Parameters<typeof startService>[1] = {},
): Promise<SmsHarness> {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'dim-sms-'));
  const running = await startService({ DATA_DIR: dir, ...env }, overrides);
  const post = async (path: string, body: string, contentType = 'application/x-www-form-urlencoded') => {
    const response = await fetch(`${running.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body,
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: parsed };
  };
  return {
    ...running,
    dataDir: dir,
    post,
    incoming: async (text, options = {}) => {
      const form = new URLSearchParams({
        from: options.from ?? PHONE,
        to: '36000',
        text,
        date: '2024-05-10 10:00:00',
        id: options.id ?? `ATXid_${process.pid}_${++counter}`,
        linkId: 'link-1',
        networkCode: '61001',
      });
      const { status, body } = await post('/sms', form.toString());
      return { status, body: body as Record<string, unknown> };
    },
    outbox: async () => {
      await running.service.sms.flush();
      const response = await fetch(`${running.baseUrl}/dev/outbox`);
      return (await response.json()) as OutboxEntry[];
    },
    stop: async (keepData = false) => {
      await running.close();
      if (!keepData) rmSync(dir, { recursive: true, force: true });
    },
  };
}
