import { ConfigError, loadConfig, type Config } from '../src/config.js';
import { StartupError } from '../src/errors.js';
import { LexiconError } from '../src/search/lexicon.js';
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
  // The start-up layer's one error type (LexiconError is src/search's own, of the same kind).
  if (error instanceof StartupError || error instanceof LexiconError) {
    const what = error instanceof StartupError ? error.what : 'lexicon';
    logger.fatal({ err: { message: error.message } }, `${what} invalid: refusing to start`);
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  throw error;
}

// Signals first: a SIGTERM that lands while the service is starting still shuts it down cleanly.
let stopping = false;
const stop = async (signal: string, exitCode = 0) => {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down: finishing in-flight requests');
  try {
    await service.close();
    logger.info({}, 'stopped');
  } catch (error) {
    logger.error({ err: { message: (error as Error).message } }, 'shutdown incomplete');
    exitCode = exitCode || 1;
  }
  process.exit(exitCode);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));

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

/**
 * Errors in a request handler never get here: express 5 sends them (sync or async) to the error
 * handler, which ends that request cleanly. What does get here comes from outside any request.
 * - A rejected promise nobody awaited (a background send, a timer): logged, and the process keeps
 *   serving; its state is not corrupted by a promise nobody waited for.
 * - An uncaught exception: the state of the process is unknown (Node's own advice is not to
 *   resume). It is logged, in-flight requests are finished (SHUTDOWN_TIMEOUT_MS) and the
 *   process exits with 1 so its supervisor (Docker `restart`, systemd, Kubernetes) starts a
 *   clean one: opt-outs are durable, sessions live in Redis or are short anyway.
 * Only the message and name are logged: an error's other fields may carry a request's data.
 */
const errorSummary = (error: unknown) =>
  error instanceof Error ? { message: error.message, name: error.name } : { message: String(error) };
process.on('unhandledRejection', (reason) => {
  logger.error({ err: errorSummary(reason) }, 'unhandled rejection: logged, still serving');
});
process.on('uncaughtException', (error) => {
  logger.error(
    { err: errorSummary(error) },
    'uncaught exception: finishing in-flight requests, then exiting',
  );
  void stop('uncaughtException', 1);
});
