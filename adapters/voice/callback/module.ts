import type { ModuleContext, ServiceModule } from '../../module.js';
import { createCallBacks, type CallBacks } from './index.js';

/** "Call me back" (VOICE_CALLBACK), shared by the voice line's missed calls and SMS's APPEL. */
export function create(
  ctx: ModuleContext,
  deps: { delayMs?: number },
): ServiceModule & { callBacks: CallBacks } {
  const { config, store, pseudonymize, clock, logger } = ctx;
  const callBacks = createCallBacks({
    ...{ config, store, pseudonymize, clock, logger },
    caps: ctx.spending.caps,
    registry: ctx.prometheus.registry,
    ...(deps.delayMs !== undefined ? { missedCallDelayMs: deps.delayMs } : {}),
  });
  return {
    callBacks,
    routes: callBacks.outboxRouter ? [{ path: '/dev/calls', router: callBacks.outboxRouter }] : [],
    // Waits for calls under way.
    close: () => callBacks.callbacks.flush(),
  };
}
