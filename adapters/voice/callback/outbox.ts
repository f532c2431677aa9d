import type { CallPlacer, CallPlaceResult, Clock, OutgoingCall } from '../../../src/ports/index.js';
import { DevOutbox } from '../../stores/dev-outbox.js';
import type { Pseudonymizer } from '../../../src/privacy/pseudonym.js';

export interface CallOutboxEntry {
  /** The pseudonym of the person called: even a dev page shows no number. */
  to: string;
  at: string;
  callId: string;
}

/**
 * Where call backs go without Africa's Talking credentials (`npm start`): kept in memory, the
 * last `capacity` of them, for GET /dev/calls, like the SMS outbox. Nobody is rung.
 */
export class CallOutbox implements CallPlacer {
  private readonly box: DevOutbox<CallOutboxEntry>;

  constructor(
    private readonly pseudonymize: Pseudonymizer,
    private readonly clock: Clock,
    capacity = 200,
  ) {
    this.box = new DevOutbox(capacity);
  }

  async call({ to }: OutgoingCall): Promise<CallPlaceResult> {
    const { callId } = this.box.add((n) => ({
      to: this.pseudonymize(to),
      at: new Date(this.clock.now()).toISOString(),
      callId: `outbox-call-${n}`,
    }));
    return { status: 'queued', callId };
  }

  /** Newest last. */
  list(): CallOutboxEntry[] {
    return this.box.list();
  }
}
