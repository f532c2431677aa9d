import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import proxyaddr from 'proxy-addr';
import type { Logger } from '../../src/ports/index.js';
import { JSON_TIMEOUT } from '../gateway/contract.js';
import { createDeadlines } from '../gateway/deadline.js';
import { urlProblem } from '../gateway/limits.js';
import { answerOnce, JSON_TYPE, type HttpObserver, type RawLane } from '../gateway/runner.js';
import type { ApiAnswer } from './api.js';

/**
 * The fast lane of `GET /api/search` (the gateway runner's counterpart for the public API,
 * adapters/gateway/runner.ts): a search whose URL is within the limits is answered on Node's
 * request and response, without express, with what the express road gives it: the
 * browser-facing headers, the per-address budget (the client address as express's `trust
 * proxy` computes `req.ip`), REQUEST_TIMEOUT_MS, the metrics, the same JSON. Anything else
 * under /api (another route or method, a URL over the limits) goes to express.
 */
export interface SearchLaneDeps {
  /** The express app's compiled `trust proxy` (`app.get('trust proxy fn')`). */
  trust: (address: string, hop: number) => boolean;
  /** The API's search (api.ts `createApi().search`), from the query's fields. */
  search(fields: Record<string, unknown>): ApiAnswer;
  /** The per-address budget (gateway/rate-limit.ts `apiBudget`). */
  budget(address: string): Promise<{
    headers: Record<string, string>;
    refusal?: { status: number; body: object };
  }>;
  /** The headers every answer a browser may read carries (gateway/security.ts). */
  browserHeaders(req: IncomingMessage, res: ServerResponse): void;
  timeoutMs: number;
  logger: Logger;
  observe?: HttpObserver;
}

const PATH = '/api/search';

export function createSearchLane(deps: SearchLaneDeps): RawLane {
  const deadlines = createDeadlines(deps.timeoutMs);
  return (req, res) => {
    if (req.method !== 'GET') return false;
    const url = req.url ?? '';
    const query = url.indexOf('?');
    if ((query < 0 ? url : url.slice(0, query)) !== PATH || urlProblem(url)) return false;

    const finish = answerOnce(res, {
      deadlines,
      labels: { channel: 'api', route: PATH, method: 'GET' },
      observe: deps.observe,
      atDeadline: () => JSON_TIMEOUT,
    });
    deps.browserHeaders(req, res);
    deps
      .budget(proxyaddr(req, deps.trust))
      .then(({ headers, refusal }) => {
        if (refusal) return finish({ ...refusal, headers });
        const answer = deps.search(query < 0 ? {} : parseQuery(url.slice(query + 1)));
        finish({
          status: answer.status,
          body: answer.json,
          type: JSON_TYPE,
          headers: { ...headers, 'Cache-Control': answer.cache },
        });
      })
      .catch((error: unknown) => {
        deps.logger.error(
          { channel: 'api', err: { message: (error as Error).message, name: (error as Error).name } },
          'search failed: answered 503',
        );
        finish({ status: 503, body: { error: 'unavailable' }, headers: { 'Retry-After': '1' } });
      });
    return true;
  };
}
