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

/** Starts the real service in-process on a free port, with embedded defaults unless env says otherwise. */
export async function startService(env: Record<string, string> = {}): Promise<RunningService> {
  const config = loadConfig({ NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env });
  const logs = new LogCapture();
  const service = createService(config, createLogger(config.LOG_LEVEL, logs));
  const port = await service.listen();
  return { service, config, baseUrl: `http://127.0.0.1:${port}`, logs, close: () => service.close() };
}
