import { Router, type Request, type RequestHandler, type Response } from 'express';
import { Registry, collectDefaultMetrics } from 'prom-client';
import type { Metrics } from '../../src/ports/index.js';
import { existingContext } from '../gateway/context.js';
import type { HttpObserver } from '../gateway/runner.js';
import { secretEquals } from '../gateway/security.js';
import { metricFamilies } from './families.js';

/**
 * The Metrics port over prom-client, on a registry of its own (never the global one) so that
 * several services in one process (tests, benchmarks) keep separate counts.
 *
 * HTTP requests are labelled by channel and by route *pattern* (mount path + route path), never
 * by the raw URL: a gateway URL may carry the webhook token, and a query carries what people typed.
 */
export interface PrometheusMetrics extends Metrics {
  readonly registry: Registry;
  /** Register first: times every request and counts it by channel, route, method and status. */
  readonly httpMiddleware: RequestHandler;
  /** The same count and timing for a request answered outside express (a gateway's fast lane). */
  readonly observeHttp: HttpObserver;
  /** Mount at `/metrics`: the exposition, guarded in production by METRICS_TOKEN. */
  readonly router: Router;
}

export interface PrometheusOptions {
  /** In production `/metrics` is served only with a token, and only to requests carrying it. */
  production: boolean;
  token?: string;
  /** Values that must never appear in a label (webhook tokens, secrets): replaced by `:secret`. */
  secrets?: Array<string | undefined>;
  /** Process metrics (CPU, RSS, heap, event-loop lag, GC); on by default. */
  processMetrics?: boolean;
}

/** Seconds; USSD gateways allow roughly 10 s, the interesting part is below 100 ms. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const OPS_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

export function createPrometheusMetrics(options: PrometheusOptions): PrometheusMetrics {
  const registry = new Registry();
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });
  const m = metricFamilies(registry);

  const httpRequests = m.counter(
    'dim_http_requests_total',
    'HTTP requests answered, by channel, route pattern, method and status code',
    ['channel', 'route', 'method', 'status'],
  );
  const httpDuration = m.histogram(
    'dim_http_request_duration_seconds',
    'Time from request to the end of the response, by channel, route pattern and method',
    LATENCY_BUCKETS,
    ['channel', 'route', 'method'],
  );
  const replies = m.counter('dim_replies_total', 'Replies rendered, by channel and kind of reply', [
    'channel',
    'kind',
  ]);
  const emptySearches = m.counter(
    'dim_searches_without_result_total',
    'Searches that found no recommendation, by channel',
    ['channel'],
  );
  const smsSegments = m.counter(
    'dim_sms_segments_sent_total',
    'SMS segments handed to the gateway, by encoding (each one is billed)',
    ['encoding'],
  );
  const rateLimited = m.counter('dim_rate_limited_total', 'Requests refused by a rate limit, by channel', [
    'channel',
  ]);
  const storeErrors = m.counter(
    'dim_store_errors_total',
    'Session store (Redis) operations that failed, by operation',
    ['operation'],
  );

  const secrets = (options.secrets ?? []).filter((s): s is string => typeof s === 'string' && s.length > 0);
  const scrub = (label: string) =>
    secrets.reduce((text, secret) => text.split(secret).join(':secret'), label);

  const observeHttp: HttpObserver = (labels, seconds) => {
    const route = scrub(labels.route);
    httpRequests.inc({ ...labels, route });
    httpDuration.observe({ channel: labels.channel, route, method: labels.method }, seconds);
  };

  const httpMiddleware: RequestHandler = (req, res, next) => {
    const start = process.hrtime.bigint();
    res.once('close', () => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const { channel, route } = routeLabels(req, res, scrub);
      const status = res.writableFinished ? String(res.statusCode) : 'aborted';
      httpRequests.inc({ channel, route, method: req.method, status });
      httpDuration.observe({ channel, route, method: req.method }, seconds);
    });
    next();
  };

  const router = Router();
  router.get('/', async (req, res) => {
    if (options.production && !presentsToken(req, options.token)) {
      res.status(404).json({ error: 'not_found' });
      return;
    }
    res.set('Cache-Control', 'no-store');
    res.type(registry.contentType).send(await registry.metrics());
  });

  return {
    registry,
    httpMiddleware,
    observeHttp,
    router,
    replySent: (channel, kind) => replies.inc({ channel, kind }),
    searchWithoutResult: (channel) => emptySearches.inc({ channel }),
    smsSegmentsSent: (count, encoding) => {
      if (count > 0) smsSegments.inc({ encoding }, count);
    },
    rateLimited: (channel) => rateLimited.inc({ channel }),
    storeError: (operation) => storeErrors.inc({ operation }),
  };
}

/**
 * `channel` is the first segment of the mount path (`/ussd` → ussd, `/api` → api, `/` → web); health and
 * metrics routes are `ops`; a request no route claimed is `unmatched`, so scanners probing random
 * URLs cannot grow the label set.
 */
function routeLabels(req: Request, res: Response, scrub: (s: string) => string) {
  const mount = existingContext(res)?.mountPath ?? '';
  const routePath: unknown = (req.route as { path?: unknown } | undefined)?.path;
  const inner = typeof routePath === 'string' && routePath !== '/' ? routePath : '';
  if (!mount && !inner) return { channel: 'unmatched', route: 'unmatched' };
  const route = scrub(joinPaths(mount, inner) || '/');
  if (OPS_PATHS.has(route)) return { channel: 'ops', route };
  const first = route.split('/').find((segment) => segment !== '') ?? '';
  // The router mounted at `/` is the web simulator's page.
  const channel = first === '' ? 'web' : /^[a-z][a-z0-9_-]{0,30}$/.test(first) ? first : 'other';
  return { channel, route };
}

function joinPaths(mount: string, inner: string): string {
  if (!mount) return inner;
  if (!inner) return mount;
  return mount.replace(/(?<!\/)\/+$/, '') + (inner.startsWith('/') ? inner : `/${inner}`);
}

/**
 * `Authorization: Bearer <token>` only, compared in constant time: a token in the query string
 * would end up in proxies' access logs.
 */
function presentsToken(req: Request, token: string | undefined): boolean {
  if (!token) return false;
  const header = req.get('authorization') ?? '';
  const bearer = /^Bearer\s+(\S.*)$/i.exec(header)?.[1]?.trim();
  return bearer !== undefined && secretEquals(bearer, token);
}
