import type { ModuleContext, ServiceModule } from '../module.js';

/** GET /metrics: the Prometheus registry (METRICS_TOKEN in production). */
export function create(ctx: ModuleContext): ServiceModule {
  return { routes: [{ path: '/metrics', router: ctx.prometheus.router }] };
}
