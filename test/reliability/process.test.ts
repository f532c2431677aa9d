import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { newTally, saveTally, SECRETS } from '../support/reliability.js';

/**
 * The real process entry (adapters/main.ts) with faults injected outside any request by a
 * preloaded module (on SIGUSR2 and SIGWINCH): an unhandled rejection is logged and the process keeps serving; an
 * uncaught exception is logged, in-flight requests finish, and the process exits 1 for its
 * supervisor to restart (its state is unknown).
 */
const tally = newTally();
const children: ChildProcess[] = [];
const dirs: string[] = [];
let logLines = 0;

interface Started {
  child: ChildProcess;
  base: string;
  lines: string[];
}

async function startMain(env: Record<string, string>): Promise<Started> {
  const dir = mkdtempSync(join(tmpdir(), 'dim-proc-'));
  dirs.push(dir);
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--import', './test/reliability/fixtures/inject-faults.mjs', 'adapters/main.ts'],
    {
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'test',
        HOST: '127.0.0.1',
        PORT: '0',
        DATA_DIR: dir,
        LOG_LEVEL: 'info',
        PHONE_HASH_KEY: SECRETS.PHONE_HASH_KEY,
        WEBHOOK_TOKEN: SECRETS.WEBHOOK_TOKEN,
        SHUTDOWN_TIMEOUT_MS: '2000',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.push(child);
  const lines: string[] = [];
  let buffer = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no 'listening' line: ${lines.join('\n')}`)), 20_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const parts = buffer.split('\n');
      buffer = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        const parsed = JSON.parse(line) as { msg?: string; port?: number };
        if (parsed.msg === 'listening' && parsed.port) {
          clearTimeout(timer);
          resolve(parsed.port);
        }
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => lines.push(chunk.toString('utf8')));
    child.once('exit', (code) => reject(new Error(`exited ${code} before listening: ${lines.join('\n')}`)));
  });
  return { child, base: `http://127.0.0.1:${port}`, lines };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

afterEach(() => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

afterAll(() => {
  tally.logLines += logLines;
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  saveTally('process', tally);
});

describe('the process entry under faults outside requests', () => {
  it('when a promise is rejected and nobody handles it, then the process logs it (message only) and keeps serving', async () => {
    const { child, base, lines } = await startMain({});
    child.kill('SIGUSR2');
    tally.faults++;
    await sleep(300);
    for (let i = 0; i < 5; i++) {
      tally.inputs++;
      const response = await fetch(`${base}/healthz`);
      if (response.status !== 200) tally.failed++;
      expect(response.status).toBe(200);
    }
    expect(child.exitCode).toBeNull();
    const logged = lines.find((line) => line.includes('unhandled rejection'));
    expect(logged).toContain('injected rejection');
    expect(logged).not.toContain('    at '); // no stack trace: a stack may quote request data
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
    logLines += lines.length;
  }, 30_000);

  it('when an exception escapes outside any request, then it is logged, the in-flight request still gets its answer, and the process exits 1', async () => {
    const { child, base, lines } = await startMain({});
    tally.faults++;
    // A request in flight when the exception comes: a USSD hop whose body is still arriving.
    tally.inputs++;
    const body = new URLSearchParams({
      sessionId: 'ATUid_proc',
      serviceCode: '*384*12#',
      phoneNumber: '+22376123456',
      networkCode: '1',
      text: '',
    }).toString();
    const url = new URL(`${base}/ussd/${SECRETS.WEBHOOK_TOKEN}`);
    const inFlight = new Promise<number>((resolve) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': body.length },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', () => resolve(0));
      req.write(body.slice(0, 10));
      setTimeout(() => {
        child.kill('SIGWINCH');
        setTimeout(() => req.end(body.slice(10)), 300);
      }, 200);
    });
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(1);
    const status = await inFlight;
    if (status !== 200) tally.failed++;
    expect(status).toBe(200);
    expect(
      lines.some((line) => line.includes('uncaught exception') && line.includes('injected exception')),
    ).toBe(true);
    logLines += lines.length;
    for (const value of ['+22376123456', '22376123456', SECRETS.PHONE_HASH_KEY, SECRETS.WEBHOOK_TOKEN])
      expect(lines.join('\n')).not.toContain(value);
  }, 30_000);
});
