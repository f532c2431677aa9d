import { Counter, type Registry } from 'prom-client';

/**
 * What operators watch on WhatsApp beyond the shared Metrics port: delivery statuses Meta
 * reports, send outcomes (including what the 24-hour window held back) and Graph error codes.
 * Labels are bounded words and numbers: never a number, a wa_id or a text.
 */
export interface WhatsAppMetrics {
  status(kind: string): void;
  send(outcome: 'sent' | 'refused' | 'failed' | 'outsideWindow' | 'template' | 'skipped' | 'optedOut'): void;
  graphError(code: number): void;
  duplicate(): void;
}

export const noWhatsAppMetrics: WhatsAppMetrics = {
  status: () => {},
  send: () => {},
  graphError: () => {},
  duplicate: () => {},
};

export function createWhatsAppMetrics(registry: Registry): WhatsAppMetrics {
  const statuses = new Counter({
    name: 'dim_whatsapp_statuses_total',
    help: 'Delivery statuses reported by WhatsApp for messages we sent (sent, delivered, read, failed)',
    labelNames: ['status'] as const,
    registers: [registry],
  });
  const sends = new Counter({
    name: 'dim_whatsapp_sends_total',
    help: 'WhatsApp messages by outcome: sent, refused, failed, held back outside the 24-hour window (outsideWindow), templates sent outside it (also counted as sent), broadcasts skipped, opted out',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const errors = new Counter({
    name: 'dim_whatsapp_errors_total',
    help: 'Graph API error codes, from send answers and failed statuses (131047: outside the 24-hour window)',
    labelNames: ['code'] as const,
    registers: [registry],
  });
  const duplicates = new Counter({
    name: 'dim_whatsapp_duplicate_deliveries_total',
    help: 'Incoming WhatsApp messages delivered again by Meta and ignored',
    registers: [registry],
  });
  return {
    status: (kind) => statuses.inc({ status: kind }),
    send: (outcome) => sends.inc({ outcome }),
    // Graph codes are numbers of up to 6 digits: a bounded label, anything else is one bucket.
    graphError: (code) => errors.inc({ code: /^\d{1,6}$/.test(String(code)) ? String(code) : 'other' }),
    duplicate: () => duplicates.inc(),
  };
}
