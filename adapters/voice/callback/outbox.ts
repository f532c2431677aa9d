import type { CallPlacer, CallPlaceResult, Clock, OutgoingCall } from '../../../src/ports/index.js';
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
  private readonly entries: CallOutboxEntry[] = [];
  private counter = 0;

  constructor(
    private readonly pseudonymize: Pseudonymizer,
    private readonly clock: Clock,
    private readonly capacity = 200,
  ) {}

  async call({ to }: OutgoingCall): Promise<CallPlaceResult> {
    const callId = `outbox-call-${++this.counter}`;
    this.entries.push({ to: this.pseudonymize(to), at: new Date(this.clock.now()).toISOString(), callId });
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
    return { status: 'queued', callId };
  }

  /** Newest last. */
  list(): CallOutboxEntry[] {
    return [...this.entries];
  }
}
