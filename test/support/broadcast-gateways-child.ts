/**
 * A broadcast worker process against the fake gateways, as an instance of the service runs it,
 * so that a test or the benchmark can SIGKILL it. Its setup comes as JSON in SETUP; it prints
 * "ready" once its workers listen.
 */
import { gatewayBroadcaster, type GatewaySetup } from './broadcast-gateways.js';

const setup = JSON.parse(process.env.SETUP!) as GatewaySetup & {
  concurrency?: number;
  lockDurationMs?: number;
  stalledIntervalMs?: number;
};
const broadcaster = gatewayBroadcaster(setup);
const worker = broadcaster.createWorker({
  ...(setup.concurrency ? { concurrency: setup.concurrency } : {}),
  lockDurationMs: setup.lockDurationMs ?? 3000,
  stalledIntervalMs: setup.stalledIntervalMs ?? 1000,
});
await worker.waitUntilReady();
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  // A graceful stop lets the jobs in hand finish; a Redis already gone must not hold it.
  setTimeout(() => process.exit(0), 5000).unref();
  void worker.close().then(() => process.exit(0));
});
