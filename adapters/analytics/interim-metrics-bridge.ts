import type { Analytics, Metrics } from '../../src/ports/index.js';

/**
 * INTERIM, until the channels call the Analytics port themselves (after issue 13's conversation
 * core lands): every channel already calls `Metrics.replySent(channel, kind)` and the SMS channel
 * `smsSegmentsSent`, so this decorator forwards those calls to analytics too. It knows neither
 * the person nor the language nor the recommendation, so its replies count under lang `und` and
 * add nobody to the unique counts. Remove it from adapters/service.ts in the same change that
 * wires `analytics.record` into the channels, or replies are counted twice.
 */
export function metricsWithAnalytics(metrics: Metrics, analytics: Analytics): Metrics {
  return {
    ...metrics,
    replySent: (channel, kind) => {
      metrics.replySent(channel, kind);
      analytics.record({ type: 'reply', person: null, channel, lang: 'und', kind });
    },
    smsSegmentsSent: (count, encoding) => {
      metrics.smsSegmentsSent(count, encoding);
      analytics.record({ type: 'smsSent', person: null, count, encoding });
    },
  };
}
