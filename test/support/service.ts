import { Writable } from 'node:stream';
import { loadConfig, type Config } from '../../src/config.js';
import { createLogger } from '../../adapters/logging.js';
import { createService, type Service } from '../../adapters/service.js';

/** Log lines a test can read (and scan for leaks). */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }
  get text(): string {
    return this.lines.join('\n');
  }
}

export interface RunningService {
  service: Service;
  config: Config;
  baseUrl: string;
  logs: LogCapture;
  close(): Promise<void>;
}

/**
 * Starts the real service in-process on a free port, with embedded defaults unless env says
 * otherwise. Then waits for the voice line's prompts when a speech engine is wired.
 */
export async function startService(
  env: Record<string, string> = {},
  overrides: Parameters<typeof createService>[2] = {},
): Promise<RunningService> {
  // Rate limits and caps out of the way unless a test sets them: crawls and scripted sessions
  // send hundreds of hops from one phone (test/reliability/rate-limits.test.ts sets its own).
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    RATE_LIMIT_PER_MINUTE: '100000',
    API_RATE_LIMIT_PER_MINUTE: '1000000',
    // Daily spending caps out of the way too (test/reliability/spending-caps.test.ts sets its own).
    SMS_SEGMENTS_PERSON_PER_DAY: '100000',
    SMS_SEGMENTS_SERVICE_PER_DAY: '100000000',
    VOICE_CALLBACK_SERVICE_PER_DAY: '1000000',
    // No speech engine unless a test asks for one (its own, or VOICE_SYNTHESIS=on): the voice
    // line plays what a test laid out in AUDIO_DIR, and a service started for another channel
    // starts no audio worker.
    VOICE_SYNTHESIS: 'off',
    ...env,
  });
  const logs = new LogCapture();
  const service = createService(config, createLogger(config.LOG_LEVEL, logs), overrides);
  const port = await service.listen();
  await service.voice.speech.idle();
  return { service, config, baseUrl: `http://127.0.0.1:${port}`, logs, close: () => service.close() };
}
