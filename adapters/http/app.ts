import express, { type ErrorRequestHandler, type Express, type RequestHandler, type Router } from 'express';
import { draftCounts, servesDrafts } from '../../src/content/localized.js';
import type { Config } from '../../src/config.js';
import { withDeadline } from '../../src/core/deadline.js';
import type { Corpus } from '../../src/content/schema.js';
import type { Logger, SessionStore } from '../../src/ports/index.js';
import { requestContext } from '../gateway/context.js';
import { securityHeaders } from '../gateway/security.js';
import { inSequence } from '../gateway/sequence.js';
import { frameworks, type RawLane } from '../gateway/runner.js';

interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
}

export interface AppDeps {
  config: Config;
  logger: Logger;
  corpus: Corpus;
  store: SessionStore;
  /** Channel and API routers, mounted in order at their paths. */
  routes?: Array<{ path: string; router: Router }>;
  /**
   * The gateway webhooks' runners (adapters/gateway/runner.ts): the service's server gives them
   * each request before express; mounted here too, first, so the app alone serves them as well.
   */
  gateways?: RawLane[];
  /** Registered before everything else (request metrics must see every request). */
  middleware?: RequestHandler[];
  readiness?: ReadinessCheck[];
  /** Tried before the JSON 404 (the public site's HTML 404 page for browsers); may pass it on. */
  notFound?: RequestHandler;
}

function trustProxyValue(config: Pick<Config, 'TRUST_PROXY'>): string | number {
  return /^\d+$/.test(config.TRUST_PROXY) ? Number(config.TRUST_PROXY) : config.TRUST_PROXY;
}

/**
 * TRUST_PROXY compiled by express itself (hops, addresses, subnets, names), for what is served
 * before express: the gateway runner's protocol, the search lane's client address.
 */
export function trustProxySetting(
  config: Pick<Config, 'TRUST_PROXY'>,
): (address: string, hop: number) => boolean {
  const probe = express();
  probe.set('trust proxy', trustProxyValue(config));
  return probe.get('trust proxy fn') as (address: string, hop: number) => boolean;
}

/** The HTTP face of the service. Thin: routes translate and call the core. */
export function createApp(deps: AppDeps): Express {
  const { config, logger, corpus, store } = deps;
  const app = express();
  app.disable('x-powered-by');
  // No ETag on every answer: a gateway never revalidates, and hashing each body cost ~1 % of a
  // USSD hop. Static files (sendFile) keep their own.
  app.set('etag', false);
  app.set('trust proxy', trustProxyValue(config));
  if (deps.gateways?.length) app.use(frameworks.express(deps.gateways));
  // The shared middleware, then browser-facing headers (CSP, nosniff, frame-ancestors...) on
  // every answer a browser may read, harmless on JSON (the simulator sets its own stricter CSP
  // on its pages): one layer for all of them, as express matches every layer on every request.
  // (Gateway webhooks never get here: their runner writes only `nosniff`.)
  app.use(inSequence([...(deps.middleware ?? []), securityHeaders]));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  const checks: ReadinessCheck[] = [
    {
      name: 'content',
      check: async () => {
        if (corpus.recommendations.length !== 300) throw new Error('corpus incomplete');
      },
    },
    { name: 'store', check: () => store.ping() },
    ...(deps.readiness ?? []),
  ];
  app.get('/readyz', async (_req, res) => {
    const results = await Promise.all(
      checks.map(async ({ name, check }) => {
        try {
          await withDeadline(check(), 1000);
          return { name, ok: true as const };
        } catch (error) {
          return { name, ok: false as const, error: (error as Error).message };
        }
      }),
    );
    const ready = results.every((r) => r.ok);
    // How much of what we serve in each language is still unreviewed (docs/translating.md).
    const translations = { serveDrafts: servesDrafts(), drafts: draftCounts() };
    res
      .status(ready ? 200 : 503)
      .json({ status: ready ? 'ready' : 'not ready', checks: results, translations });
  });

  // The request context's mountPath: the pattern of the router that answered, so metrics label by pattern,
  // never by raw URL; cleared when the router passes the request on. One layer per mount: every
  // request is matched against each mount's path, so extra layers cost on every request.
  for (const { path, router } of deps.routes ?? []) {
    app.use(path, (req, res, next) => {
      const context = requestContext(res);
      context.mountPath = path;
      router(req, res, (error?: unknown) => {
        if (error) return next(error);
        context.mountPath = undefined;
        next();
      });
    });
  }

  if (deps.notFound) app.use(deps.notFound);
  app.use((_req, res) => {
    res.status(404).json({ error: 'not_found' });
  });

  const onError: ErrorRequestHandler = (
    error: { status?: number; statusCode?: number; type?: string },
    _req,
    res,
    _next,
  ) => {
    const status = error.status ?? error.statusCode ?? 500;
    if (status >= 500) logger.error({ err: error }, 'request failed');
    if (res.headersSent) return;
    res
      .status(status >= 400 && status < 600 ? status : 500)
      .json({ error: status >= 500 ? 'internal_error' : (error.type ?? 'bad_request') });
  };
  app.use(onError);
  return app;
}
