import type { Registry } from 'prom-client';
import type { Analytics } from '../../src/ports/index.js';
import { metricFamilies } from '../metrics/families.js';

/**
 * The analytics figures that the Metrics port does not already give Prometheus (replies, empty
 * searches and SMS segments it counts itself): screens reached and dropped, feedback, close-only
 * searches and wrong-answer reports. Labels stay few and bounded: no recommendation id, no words.
 */
export function createPrometheusAnalytics(registry: Registry): Analytics {
  const m = metricFamilies(registry);
  const screens = m.counter(
    'dim_menu_screens_total',
    'USSD/voice menu screens reached or dropped on, by channel and event',
    ['channel', 'event'],
  );
  const feedback = m.counter(
    'dim_feedback_total',
    'One-key reactions after a recommendation, by channel and value',
    ['channel', 'value'],
  );
  const misses = m.counter(
    'dim_search_misses_total',
    'Searches that found nothing or only close results, by channel and outcome',
    ['channel', 'outcome'],
  );
  const wrong = m.counter(
    'dim_wrong_answer_reports_total',
    '"Wrong answer" reports after a search, by channel',
    ['channel'],
  );
  const channel = (value: string) => (/^[a-z][a-z0-9_-]{0,20}$/.test(value) ? value : 'other');
  return {
    record: (event) => {
      switch (event.type) {
        case 'screen':
          screens.inc({
            channel: channel(event.channel),
            event: event.event === 'dropped' ? 'dropped' : 'reached',
          });
          break;
        case 'feedback':
          feedback.inc({
            channel: channel(event.channel),
            value: event.value === 'useful' ? 'useful' : 'unclear',
          });
          break;
        case 'searchMiss':
          misses.inc({
            channel: channel(event.channel),
            outcome: event.outcome === 'close' ? 'close' : 'none',
          });
          break;
        case 'wrongAnswer':
          wrong.inc({ channel: channel(event.channel) });
          break;
        default:
          break;
      }
    },
  };
}
