import type { UssdHopStore } from '../../src/ports/index.js';
import type { ModuleContext, ServiceModule } from '../module.js';
import { createUssdGateway } from './router.js';
import type { SendRecommendationBySms } from './session.js';

/** The USSD channel as a module: one gateway handler, every dialect of the table. */
export function create(
  ctx: ModuleContext,
  deps: { hops: UssdHopStore; sendRecommendationBySms: SendRecommendationBySms },
): ServiceModule {
  const { engine, corpus, store, pseudonymize, clock, config, logger, metrics, analytics } = ctx;
  return {
    gateway: createUssdGateway({
      ...{ engine, corpus, store, pseudonymize, clock, config, logger, metrics, analytics },
      ...deps,
    }),
    routes: [],
  };
}
