import type { ModuleContext, ServiceModule } from '../module.js';
import { createSimulatorRouter } from './router.js';
import type { SimulatorWhatsApp } from './whatsapp.js';

/** The phone simulator's page at GET / (SIMULATOR on): last, as it answers at the root. */
export function create(ctx: ModuleContext, deps: { whatsapp?: SimulatorWhatsApp }): ServiceModule {
  if (!ctx.config.simulatorEnabled) return { routes: [] };
  return { routes: [{ path: '/', router: createSimulatorRouter({ config: ctx.config, ...deps }) }] };
}
