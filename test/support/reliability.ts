import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startService, type RunningService } from './service.js';

/**
 * What the reliability suite counts, per test file; `summary-setup.ts` adds the files up and
 * prints the table once the whole run is over.
 */
export interface Tally {
  /** Requests and messages sent to the service (good and bad). */
  inputs: number;
  /** Faults injected: Redis stopped, frozen, restarted, a handler made to throw... */
  faults: number;
  /** Answers that failed: a 5xx, or no answer at all (connection error, or a hung request). */
  failed: number;
  /** SMS answered 503 while Redis was out (the gateway delivers them again), then redelivered and processed once. */
  deferred: number;
  /** Data lost: an opt-out not found after a fault or a restart, a message never answered. */
  lost: number;
  /** Requests refused by a limit or a cap on purpose (429, a sign-in lockout, a spending cap). */
  limited: number;
  /** Processes or servers that stopped answering when they should not. */
  crashes: number;
  /** Log lines scanned, and the lines that carried a number, text or secret. */
  logLines: number;
  leaks: number;
}

export const SUMMARY_DIR = 'test-results/reliability';
/** A request with no answer after this long is hung: 3x the longest deadline a suite configures. */
const HANG_MS = 15_000;

export function newTally(): Tally {
  return {
    inputs: 0,
    faults: 0,
    failed: 0,
    deferred: 0,
    lost: 0,
    limited: 0,
    crashes: 0,
    logLines: 0,
    leaks: 0,
  };
}

/** Writes this file's tally where the summary picks it up. */
export function saveTally(name: string, tally: Tally): void {
  mkdirSync(SUMMARY_DIR, { recursive: true });
  writeFileSync(join(SUMMARY_DIR, `${name}.json`), JSON.stringify(tally));
}

/** Secrets of the test configuration: long, unmistakable, and searched for in every log line. */
export const SECRETS = {
  WEBHOOK_TOKEN: 'whk_Secret_7f3a9c2e1b8d4f60',
  PHONE_HASH_KEY: 'phk_Secret_0a1b2c3d4e5f6a7b8c9d',
  METRICS_TOKEN: 'mtk_Secret_5e6f7a8b9c0d1e2f',
  TELEGRAM_WEBHOOK_SECRET: 'tgs_Secret_9d8c7b6a5f4e3d2c',
  TELEGRAM_BOT_TOKEN: '123456:TGtok_Secret_AbCdEfGhIjKlMnOp',
} as const;

/** Telegram in webhook mode against the fake Bot API at `botApiUrl`, its hook at `hookPath`. */
export function telegramWebhookEnv(hookPath: string, botApiUrl: string): Record<string, string> {
  return {
    TELEGRAM_BOT_TOKEN: SECRETS.TELEGRAM_BOT_TOKEN,
    TELEGRAM_WEBHOOK_URL: `https://bot.example.org${hookPath}`,
    TELEGRAM_WEBHOOK_SECRET: SECRETS.TELEGRAM_WEBHOOK_SECRET,
    TELEGRAM_API_ROOT: botApiUrl,
  };
}

/**
 * A test file's view of the service: starts services with a private DATA_DIR, counts every
 * request it sends and every failure, remembers every phone number and message text it used,
 * and scans the logs of every service it started for them and for the secrets.
 */
export class Harness {
  readonly tally = newTally();
  private readonly services: RunningService[] = [];
  private readonly dirs: string[] = [];
  private readonly closed = new Set<RunningService>();
  /** Raw values that must never appear in a log line. */
  readonly sensitive = new Set<string>(Object.values(SECRETS));

  async start(env: Record<string, string> = {}): Promise<RunningService> {
    const dir = mkdtempSync(join(tmpdir(), 'dim-rel-'));
    this.dirs.push(dir);
    const running = await startService({ DATA_DIR: dir, LOG_LEVEL: 'debug', ...env });
    const close = running.close;
    running.close = () => {
      this.closed.add(running);
      return close();
    };
    this.services.push(running);
    for (const [name, value] of Object.entries(env)) {
      if (/(TOKEN|_KEY|SECRET|AUTH)$/.test(name) && value.length >= 8) this.sensitive.add(value);
    }
    return running;
  }

  /** A phone number that must not leak: returned, remembered, in the digits-only form too. */
  phone(n: number): string {
    const phone = `+2237${String(6_000_000 + n).padStart(7, '0')}`;
    this.sensitive.add(phone);
    this.sensitive.add(phone.slice(1));
    this.sensitive.add(phone.slice(4)); // national number
    return phone;
  }

  /** A message text that must not leak (long enough not to match by chance). */
  text(value: string): string {
    if (value.trim().length >= 12) this.sensitive.add(value);
    return value;
  }

  /**
   * fetch, counted: a 5xx or no answer counts as failed. "No answer" is a hung request: nothing
   * within HANG_MS, far beyond every deadline the service enforces itself (REQUEST_TIMEOUT_MS),
   * so a busy machine cannot pass for a hang.
   */
  async fetch(url: string, init?: RequestInit): Promise<Response> {
    this.tally.inputs++;
    let response: Response;
    try {
      response = await fetch(url, { ...init, signal: AbortSignal.timeout(HANG_MS) });
    } catch (error) {
      this.tally.failed++;
      throw error;
    }
    if (response.status >= 500) this.tally.failed++;
    return response;
  }

  /** Every log line of every service started by this harness that carries a sensitive value. */
  leaks(): Array<{ value: string; line: string }> {
    const found: Array<{ value: string; line: string }> = [];
    const values = [...this.sensitive];
    for (const { logs } of this.services) {
      for (const line of logs.lines) {
        for (const value of values) {
          if (line.includes(value) || line.includes(encodeURIComponent(value)))
            found.push({ value, line: line.slice(0, 300) });
        }
      }
    }
    return found;
  }

  logLineCount(): number {
    return this.services.reduce((sum, { logs }) => sum + logs.lines.length, 0);
  }

  /**
   * Checks that every service the test did not close still answers (else a crash: thrown),
   * closes them, scans their logs and saves this file's tally. Returns the leaking lines.
   */
  async finish(name: string): Promise<Array<{ value: string; line: string }>> {
    // A service the test did not close must still answer: otherwise it crashed or hung.
    for (const running of this.services) {
      if (this.closed.has(running)) continue;
      const alive = await fetch(`${running.baseUrl}/healthz`, { signal: AbortSignal.timeout(2000) }).then(
        (response) => response.status === 200,
        () => false,
      );
      if (!alive) this.tally.crashes++;
    }
    for (const running of this.services) if (!this.closed.has(running)) await running.close().catch(() => {});
    const leaks = this.leaks();
    this.tally.logLines += this.logLineCount();
    this.tally.leaks += leaks.length;
    saveTally(name, this.tally);
    for (const dir of this.dirs) rmSync(dir, { recursive: true, force: true });
    if (this.tally.crashes > 0)
      throw new Error(`${this.tally.crashes} service(s) stopped answering /healthz`);
    return leaks;
  }
}

export const FORM = { 'content-type': 'application/x-www-form-urlencoded' } as const;

export function form(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}
