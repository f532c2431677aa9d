import { Counter, Histogram, type Registry } from 'prom-client';
import { isLang } from '../../src/i18n/index.js';

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
  const started = new Counter({
    name: 'dim_voice_calls_started_total',
    help: 'Voice calls answered by the line',
    registers: [registry],
  });
  const ended = new Counter({
    name: 'dim_voice_calls_ended_total',
    help: 'Voice calls ended, by outcome (completed: the line said goodbye; hungUp: mid-way; calledBack: a missed call called back) and menu node',
    labelNames: ['outcome', 'node'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'dim_voice_call_duration_seconds',
    help: 'Duration of voice calls as the gateway reports it',
    buckets: [10, 30, 60, 120, 180, 300, 600, 1200],
    registers: [registry],
  });
  const cost = new Counter({
    name: 'dim_voice_call_cost_total',
    help: 'Cost of voice calls as the gateway reports it, by currency',
    labelNames: ['currency'] as const,
    registers: [registry],
  });
  const faults = new Counter({
    name: 'dim_voice_faults_total',
    help: 'Voice requests that failed and were answered with the spoken apology',
    registers: [registry],
  });
  const synthesis = new Histogram({
    name: 'dim_voice_synthesis_seconds',
    help: 'Time to synthesise one segment of speech (queue excluded), by language and outcome',
    labelNames: ['lang', 'outcome'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 15],
    registers: [registry],
  });
  const waits = new Counter({
    name: 'dim_voice_synthesis_waits_total',
    help: 'Caller steps that needed speech being made: ready in time, or told to wait a moment',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
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
