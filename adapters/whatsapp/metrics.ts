import type { Registry } from 'prom-client';
import { metricFamilies } from '../metrics/families.js';

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
  const m = metricFamilies(registry);
  const statuses = m.counter(
    'dim_whatsapp_statuses_total',
    'Delivery statuses reported by WhatsApp for messages we sent (sent, delivered, read, failed)',
    ['status'],
  );
  const sends = m.counter(
    'dim_whatsapp_sends_total',
    'WhatsApp messages by outcome: sent, refused, failed, held back outside the 24-hour window (outsideWindow), templates sent outside it (also counted as sent), broadcasts skipped, opted out',
    ['outcome'],
  );
  const errors = m.counter(
    'dim_whatsapp_errors_total',
    'Graph API error codes, from send answers and failed statuses (131047: outside the 24-hour window)',
    ['code'],
  );
  const duplicates = m.counter(
    'dim_whatsapp_duplicate_deliveries_total',
    'Incoming WhatsApp messages delivered again by Meta and ignored',
  );
  return {
    status: (kind) => statuses.inc({ status: kind }),
    send: (outcome) => sends.inc({ outcome }),
    // Graph codes are numbers of up to 6 digits: a bounded label, anything else is one bucket.
    graphError: (code) => errors.inc({ code: /^\d{1,6}$/.test(String(code)) ? String(code) : 'other' }),
    duplicate: () => duplicates.inc(),
  };
}
