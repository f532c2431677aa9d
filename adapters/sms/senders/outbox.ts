import type { Clock, OutgoingSms, SmsSender, SmsSendResult } from '../../../src/ports/index.js';
import type { Pseudonymizer } from '../../../src/privacy/pseudonym.js';
import { countSegments } from '../segments.js';

export interface OutboxEntry {
  /** The pseudonym of the recipient: even a dev page shows no number. */
  to: string;
  text: string;
  segments: number;
  encoding: 'GSM-7' | 'UCS-2';
  at: string;
  messageId: string;
}

/**
 * Where replies go without gateway credentials (the embedded default): kept in memory, the
 * last `capacity` of them, for GET /dev/outbox and the simulator.
 */
export class OutboxSender implements SmsSender {
  private readonly entries: OutboxEntry[] = [];
  private counter = 0;

  constructor(
    private readonly pseudonymize: Pseudonymizer,
    private readonly clock: Clock,
    private readonly capacity = 200,
  ) {}

  async send({ to, text }: OutgoingSms): Promise<SmsSendResult> {
    const messageId = `outbox-${++this.counter}`;
    this.entries.push({
      to: this.pseudonymize(to),
      text,
      ...countSegments(text),
      at: new Date(this.clock.now()).toISOString(),
      messageId,
    });
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
    return { status: 'sent', messageId };
  }

  /** Newest last. */
  list(): OutboxEntry[] {
    return [...this.entries];
  }
}
