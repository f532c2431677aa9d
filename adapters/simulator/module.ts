import type { ModuleContext, ServiceModule } from '../module.js';
import { createSimulatorRouter } from './router.js';
import type { SimulatorWhatsApp } from './whatsapp.js';

/** The phone simulator at /simulator, and at GET / when the public site is off (SIMULATOR on): last. */
export function create(ctx: ModuleContext, deps: { whatsapp?: SimulatorWhatsApp }): ServiceModule {
  if (!ctx.config.simulatorEnabled) return { routes: [] };
  return { routes: [{ path: '/', router: createSimulatorRouter({ config: ctx.config, ...deps }) }] };
}
