import { Router } from 'express';
import { apiBudget, apiRateLimit } from '../gateway/rate-limit.js';
import { securityHeaders } from '../gateway/security.js';
import type { ModuleContext, ServiceModule } from '../module.js';
import { createApi } from './api.js';
import { createSearchLane } from './api-lane.js';

/** The public JSON API at /api, behind the per-address budget; a search takes its fast lane. */
export function create(ctx: ModuleContext): ServiceModule {
  const { engine, corpus, config, logger, metrics, hashAddress } = ctx;
  const api = createApi({ engine, corpus });
  const router = Router();
  router.use(apiRateLimit({ limiter: ctx.limiters.api, hashAddress, metrics }), api.router);
  return {
    routes: [{ path: '/api', router }],
    lane: createSearchLane({
      trust: ctx.trust,
      search: api.search,
      budget: apiBudget({ limiter: ctx.limiters.api, hashAddress, metrics }),
      browserHeaders: (req, res) => securityHeaders(req as never, res as never, () => {}),
      timeoutMs: config.REQUEST_TIMEOUT_MS,
      logger,
      observe: ctx.prometheus.observeHttp,
    }),
  };
}
