import type { ModuleContext, ServiceModule } from '../module.js';
import { createSite } from './index.js';

/**
 * The public site (PUBLIC_SITE, on by default) as a module: its pages at `/`, before the
 * simulator's (the simulator then answers at /simulator), and its HTML 404 for browsers.
 */
export function create(ctx: ModuleContext): ServiceModule {
  if (!ctx.config.publicSiteEnabled) return { routes: [] };
  const site = createSite({ engine: ctx.engine, config: ctx.config });
  return { routes: [{ path: '/', router: site.router }], notFound: site.notFound };
}
