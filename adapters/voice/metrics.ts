import type { Registry } from 'prom-client';
import { isLang } from '../../src/i18n/index.js';
import { metricFamilies } from '../metrics/families.js';

/**
 * What operators watch on the voice line, on the service's registry (kept out of the Metrics
 * port: only this channel has calls). Labels are fixed sets: the node a call ended at, never a
 * number or a key.
 */
export interface VoiceMetrics {
  callStarted(): void;
  /**
   * `completed`: the line said goodbye; `hungUp`: the caller left (or timed out) mid-way;
   * `calledBack`: a missed call, rejected and called back (node `callback`).
   */
  callEnded(outcome: 'completed' | 'hungUp' | 'calledBack', node: string, durationSeconds?: number): void;
  callCost(currency: string, amount: number): void;
  fault(): void;
  /** One segment of speech made (or not) by the line's synthesis, and how long it took. */
  synthesised(lang: string, outcome: 'ok' | 'failed', seconds: number): void;
  /**
   * A caller's step waited for speech: `ready` in time, or `told` to wait a moment (the audio
   * was not ready within VOICE_SYNTH_WAIT_MS).
   */
  waited(outcome: 'ready' | 'told'): void;
}

export const noVoiceMetrics: VoiceMetrics = {
  callStarted: () => {},
  callEnded: () => {},
  callCost: () => {},
  fault: () => {},
  synthesised: () => {},
  waited: () => {},
};

const NODES = new Set(['lang', 'home', 'number', 'reading', 'about', 'bye', 'callback', 'unknown']);

export function createVoiceMetrics(registry: Registry): VoiceMetrics {
  const m = metricFamilies(registry);
  const started = m.counter('dim_voice_calls_started_total', 'Voice calls answered by the line');
  const ended = m.counter(
    'dim_voice_calls_ended_total',
    'Voice calls ended, by outcome (completed: the line said goodbye; hungUp: mid-way; calledBack: a missed call called back) and menu node',
    ['outcome', 'node'],
  );
  const duration = m.histogram(
    'dim_voice_call_duration_seconds',
    'Duration of voice calls as the gateway reports it',
    [10, 30, 60, 120, 180, 300, 600, 1200],
  );
  const cost = m.counter(
    'dim_voice_call_cost_total',
    'Cost of voice calls as the gateway reports it, by currency',
    ['currency'],
  );
  const faults = m.counter(
    'dim_voice_faults_total',
    'Voice requests that failed and were answered with the spoken apology',
  );
  const synthesis = m.histogram(
    'dim_voice_synthesis_seconds',
    'Time to synthesise one segment of speech (queue excluded), by language and outcome',
    [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 15],
    ['lang', 'outcome'],
  );
  const waits = m.counter(
    'dim_voice_synthesis_waits_total',
    'Caller steps that needed speech being made: ready in time, or told to wait a moment',
    ['outcome'],
  );
  return {
    callStarted: () => started.inc(),
    callEnded: (outcome, node, seconds) => {
      ended.inc({ outcome, node: NODES.has(node) ? node : 'unknown' });
      if (seconds !== undefined) duration.observe(seconds);
    },
    callCost: (currency, amount) => cost.inc({ currency }, amount),
    fault: () => faults.inc(),
    synthesised: (lang, outcome, seconds) =>
      synthesis.observe({ lang: isLang(lang) ? lang : 'other', outcome }, seconds),
    waited: (outcome) => waits.inc({ outcome }),
  };
}
