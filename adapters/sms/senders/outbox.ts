import type { Clock, OutgoingSms, SmsSender, SmsSendResult } from '../../../src/ports/index.js';
import type { Pseudonymizer } from '../../../src/privacy/pseudonym.js';
import { DevOutbox } from '../../stores/dev-outbox.js';
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
  private readonly box: DevOutbox<OutboxEntry>;

  constructor(
    private readonly pseudonymize: Pseudonymizer,
    private readonly clock: Clock,
    capacity = 200,
  ) {
    this.box = new DevOutbox(capacity);
  }

  async send({ to, text }: OutgoingSms): Promise<SmsSendResult> {
    const { messageId } = this.box.add((n) => ({
      to: this.pseudonymize(to),
      text,
      ...countSegments(text),
      at: new Date(this.clock.now()).toISOString(),
      messageId: `outbox-${n}`,
    }));
    return { status: 'sent', messageId };
  }

  /** Newest last. */
  list(): OutboxEntry[] {
    return this.box.list();
  }
}
