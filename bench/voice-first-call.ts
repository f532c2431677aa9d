/**
 * npx tsx bench/voice-first-call.ts [--runs 3]
 *
 * Time from `npm start` on a fresh machine (an empty AUDIO_DIR, nothing built) until a French
 * call can reach recommendation 2.15 and hear it. Each run starts `npm start` as a new process
 * on a free port with a new empty AUDIO_DIR (the rest of the configuration is the embedded
 * default: VOICE_LANGS=bm,fr,en, one audio worker), then, as soon as /healthz answers, calls the
 * line over HTTP as Africa's Talking would: the first request, `1` (French: Bambara has no
 * recording), `3`, `215#`; a Redirect (nothing to say yet, or "will be read in a moment") is
 * followed at once (after "in a moment" the gateway would first play it: ~4 s); a call answered
 * with an apology is counted and tried again. It is done when the answer plays 2.15 and every
 * Play URL of it is a WAV at 8 kHz. Printed per run: until listening, until the first call was answered
 * (the line's minimal French prompts), until 2.15 played; and the start-up synthesis's own log.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readWavInfo } from '../adapters/voice/audio/wav.js';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1] || 3);

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

async function voice(base: string, fields: Record<string, string>): Promise<string> {
  const res = await fetch(`${base}/voice`, { method: 'POST', body: new URLSearchParams(fields) });
  return res.text();
}

const plays = (xml: string) =>
  [...xml.matchAll(/<Play url="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));

async function once(run: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'dim-first-call-'));
  const port = await freePort();
  const started = performance.now();
  const child = spawn('npm', ['start'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', AUDIO_DIR: dir, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let log = '';
  child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const base = `http://127.0.0.1:${port}`;
  const at = () => (performance.now() - started) / 1000;
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`npm start exited:\n${log}`);
      if (
        await fetch(`${base}/healthz`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const listening = at();
    let apologies = 0;
    let redirects = 0;
    let fields: Record<string, string> = {};
    let first = '';
    for (let attempt = 1; ; attempt++) {
      fields = {
        isActive: '1',
        sessionId: `ATVId_bench_${run}_${attempt}`,
        callerNumber: '+22376000001',
        direction: 'Inbound',
      };
      first = await voice(base, fields);
      while (!first.includes('<Play') && first.includes('<Redirect>')) {
        redirects += 1;
        first = await voice(base, fields);
      }
      if (first.includes('fr:prompt:lang.offer') || first.includes('fr:prompt:welcome')) break;
      apologies += 1;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const answered = at();
    await voice(base, { ...fields, dtmfDigits: first.includes('lang.offer') ? '1' : '3' });
    if (first.includes('lang.offer')) await voice(base, { ...fields, dtmfDigits: '3' });
    let answer = await voice(base, { ...fields, dtmfDigits: '215#' });
    let moments = 0;
    while (answer.includes('reading.wait')) {
      moments += 1;
      answer = await voice(base, fields); // the Redirect
    }
    const urls = plays(answer);
    if (!urls.some((url) => url.includes('fr:rec:2.15'))) throw new Error(`2.15 not played: ${answer}`);
    for (const url of new Set(urls)) {
      const info = readWavInfo(Buffer.from(await (await fetch(url)).arrayBuffer()));
      if (info.sampleRate !== 8000 || info.channels !== 1 || info.bitsPerSample !== 16)
        throw new Error(`${url}: not 8 kHz mono 16-bit`);
    }
    const heard = at();
    const line = log.split('\n').find((l) => l.includes('voice: minimal prompts ready'));
    const ready = line ? /"ms":(\d+)/.exec(line)?.[1] : undefined;
    process.stdout.write(
      `run ${run}: listening ${listening.toFixed(1)} s, first call answered ${answered.toFixed(1)} s, ` +
        `2.15 heard ${heard.toFixed(1)} s after npm start (${redirects} redirects before the first prompt, ` +
        `${apologies} apologies, ${moments} "in a moment")` +
        `${ready ? `; minimal prompts synthesised in ${(Number(ready) / 1000).toFixed(1)} s after listening` : ''}\n`,
    );
  } finally {
    process.kill(-child.pid!, 'SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}

process.stdout.write(
  `voice-first-call: ${runs} runs, each a fresh AUDIO_DIR and npm start (node ${process.version})\n`,
);
for (let run = 1; run <= runs; run++) await once(run);
