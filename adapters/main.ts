import { ConfigError, loadConfig, type Config } from '../src/config.js';
import { CorpusError } from '../src/content/load.js';
import { createLogger } from './logging.js';
import { createService } from './service.js';

const started = performance.now();
let config: Config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  throw error;
}
const logger = createLogger(config.LOG_LEVEL);

let service;
try {
  service = createService(config, logger);
} catch (error) {
  if (error instanceof CorpusError) {
    logger.fatal({ err: { message: error.message } }, 'corpus invalid: refusing to start');
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  throw error;
}

const port = await service.listen();
logger.info(
  {
    port,
    mode: config.NODE_ENV,
    startupMs: Math.round(performance.now() - started),
    recommendations: service.corpus.recommendations.length,
  },
  'listening',
);

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down: finishing in-flight requests');
  await service.close();
  logger.info({}, 'stopped');
  process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));
