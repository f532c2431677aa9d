import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import proxyaddr from 'proxy-addr';
import type { Logger } from '../../src/ports/index.js';
import { createDeadlines, type HttpObserver, type RawLane } from '../gateway/lane.js';
import { JSON_TIMEOUT, urlProblem } from '../gateway/limits.js';
import type { ApiAnswer } from './api.js';

/**
 * The fast lane of `GET /api/search` (the gateway lanes' counterpart for the public API,
 * adapters/gateway/lane.ts): a search whose URL is within the limits is answered on Node's
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
const JSON_TYPE = 'application/json; charset=utf-8';

export function createSearchLane(deps: SearchLaneDeps): RawLane {
  const deadlines = createDeadlines(deps.timeoutMs);
  return (req, res) => {
    if (req.method !== 'GET') return false;
    const url = req.url ?? '';
    const query = url.indexOf('?');
    if ((query < 0 ? url : url.slice(0, query)) !== PATH || urlProblem(url)) return false;

    const started = process.hrtime.bigint();
    let answered = false;
    const finish = (status: number, json: string, headers: Record<string, string>) => {
      if (answered) return;
      answered = true;
      deadlines.remove(inFlight);
      const aborted = res.destroyed;
      if (!aborted) {
        for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
        res.setHeader('Content-Type', JSON_TYPE);
        res.setHeader('Content-Length', Buffer.byteLength(json));
        res.writeHead(status);
        res.end(json);
      }
      deps.observe?.(
        { channel: 'api', route: PATH, method: 'GET', status: aborted ? 'aborted' : String(status) },
        Number(process.hrtime.bigint() - started) / 1e9,
      );
    };
    const inFlight = deadlines.add(() =>
      finish(JSON_TIMEOUT.status, JSON.stringify(JSON_TIMEOUT.body), JSON_TIMEOUT.headers),
    );
    deps.browserHeaders(req, res);
    deps
      .budget(proxyaddr(req, deps.trust))
      .then(({ headers, refusal }) => {
        if (refusal) return finish(refusal.status, JSON.stringify(refusal.body), headers);
        const fields = query < 0 ? {} : parseQuery(url.slice(query + 1));
        const answer = deps.search(fields);
        finish(answer.status, answer.json, { ...headers, 'Cache-Control': answer.cache });
      })
      .catch((error: unknown) => {
        deps.logger.error(
          { channel: 'api', err: { message: (error as Error).message, name: (error as Error).name } },
          'search failed: answered 503',
        );
        finish(503, JSON.stringify({ error: 'unavailable' }), { 'Retry-After': '1' });
      });
    return true;
  };
}
