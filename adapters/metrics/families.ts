import { Counter, Gauge, Histogram, type GaugeConfiguration, type Registry } from 'prom-client';

/**
 * Metric families on one registry: every counter, gauge and histogram of the service is made here,
 * on the service's own registry (never prom-client's global one, so several services in one
 * process keep separate counts), which `/metrics` exposes (prometheus.ts). Labels are the
 * caller's fixed sets: never a number, an id or a text.
 */
export interface MetricFamilies {
  counter<L extends string = never>(name: string, help: string, labelNames?: readonly L[]): Counter<L>;
  gauge<L extends string = never>(
    name: string,
    help: string,
    labelNames?: readonly L[],
    /** Called at each scrape to set the current values (`this` is the gauge). */
    collect?: GaugeConfiguration<L>['collect'],
  ): Gauge<L>;
  histogram<L extends string = never>(
    name: string,
    help: string,
    buckets: number[],
    labelNames?: readonly L[],
  ): Histogram<L>;
}

export function metricFamilies(registry: Registry): MetricFamilies {
  const registers = [registry];
  return {
    counter: (name, help, labelNames = []) => new Counter({ name, help, labelNames, registers }),
    gauge: (name, help, labelNames = [], collect) =>
      new Gauge({ name, help, labelNames, registers, ...(collect ? { collect } : {}) }),
    histogram: (name, help, buckets, labelNames = []) =>
      new Histogram({ name, help, buckets, labelNames, registers }),
  };
}
