/**
 * The request deadline (REQUEST_TIMEOUT_MS) of every request in flight, checked by one timer
 * instead of one timer per request: entries are kept in arrival order, so a sweep stops at the
 * first that still has time. An answer is late by at most a sweep's period (a quarter of the
 * deadline, ≤ 250 ms). Used by the gateway runner, the search's fast lane and the express app.
 * (An operation's own deadline, a store read, is `withDeadline` in src/core/deadline.ts.)
 */
export function createDeadlines(ms: number) {
  interface Entry {
    due: number;
    expire: () => void;
  }
  const inFlight = new Set<Entry>();
  const period = Math.max(10, Math.min(250, Math.floor(ms / 4)));
  let timer: NodeJS.Timeout | undefined;
  const sweep = () => {
    const now = performance.now();
    for (const entry of inFlight) {
      if (entry.due > now) break;
      inFlight.delete(entry);
      entry.expire();
    }
    if (inFlight.size === 0) {
      clearInterval(timer);
      timer = undefined;
    }
  };
  return {
    add(expire: () => void): Entry {
      const entry = { due: performance.now() + ms, expire };
      inFlight.add(entry);
      // Kept while requests are in flight (at any real rate, always); not holding the process.
      if (!timer) {
        timer = setInterval(sweep, period);
        timer.unref();
      }
      return entry;
    },
    remove(entry: Entry): void {
      inFlight.delete(entry);
    },
  };
}
