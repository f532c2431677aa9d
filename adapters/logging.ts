import { pino, type DestinationStream } from 'pino';
import type { Logger } from '../src/ports/index.js';

/**
 * Logs carry no phone number, no message text and no secret. Adapters log pseudonyms only;
 * redaction is the second line of defence for fields that should never have been logged.
 */
const REDACTED_PATHS = [
  'phone',
  'phoneNumber',
  'from',
  'to',
  'text',
  'message',
  'body',
  'query',
  'q',
  'token',
  'apiKey',
  'req.headers.authorization',
  'req.headers["x-telegram-bot-api-secret-token"]',
  'req.url',
  '*.phone',
  '*.phoneNumber',
  '*.from',
  '*.to',
  '*.text',
  '*.body',
  '*.apiKey',
  '*.token',
  // Secrets wherever they sit.
  'password',
  'secret',
  'secretToken',
  'authorization',
  '*.password',
  '*.secret',
  '*.secretToken',
  '*.authorization',
  'req.headers.cookie',
  'url',
  '*.url',
  // Error objects of HTTP clients and SDKs carry the request they failed on (number, text,
  // API key): axios (Africa's Talking) `config`/`request`/`response`, grammY `payload`,
  // body-parser the raw `body`.
  'err.config',
  'err.request',
  'err.response',
  'err.payload',
  'err.body',
  'err.phoneNumber',
];

export function createLogger(level: string, destination?: DestinationStream): Logger & pino.Logger {
  return pino(
    {
      level,
      base: { service: 'dim-bot' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
