/**
 * The load generator, run as its own process by bench/run.ts (never in the server's process):
 *
 *   node --import tsx bench/load.ts '<json LoadSpec>'   → prints one JSON LoadResult line
 *
 * Loopback only, keep-alive, bounded by a duration and a request count. Two modes:
 * - `rate`: open loop at a fixed request rate; latency is measured from the moment a request
 *   was due, so a server that falls behind is charged for the queue it causes;
 * - `saturate`: `connections` virtual users in a closed loop, each sending its next request
 *   as soon as the previous answer arrives.
 * Requests come from scenarios that hold per-user state: a USSD user walks real multi-hop
 * sessions (Africa's Talking sends the whole input history each hop), an SMS user has a
 * conversation with SUITE pages, an API user searches.
 */
import { Agent, request } from 'node:http';
import { randomUUID } from 'node:crypto';

export interface LoadSpec {
  /** http://127.0.0.1:port, loopback only. */
  base: string;
  scenario: 'ussd' | 'sms' | 'search' | 'page' | 'home';
  /** Path prefix of the gateway routes, e.g. `/ussd/<token>`; the API is always /api/search. */
  ussdPath: string;
  smsPath: string;
  mode: 'rate' | 'saturate';
  rate?: number;
  connections: number;
  durationMs: number;
  maxRequests: number;
  /** Distinguishes the phones of one run from another's. */
  seed: number;
}

export interface LoadResult {
  scenario: string;
  mode: string;
  sent: number;
  completed: number;
  ok: number;
  /** Answers whose body was not what the scenario expects (e.g. no CON/END prefix). */
  malformed: number;
  statuses: Record<string, number>;
  errors: number;
  elapsedMs: number;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  clientCpuMs: number;
}

interface Req {
  method: 'GET' | 'POST';
  path: string;
  body?: string;
  contentType?: string;
  /** Extra request headers (a browser's Accept and Accept-Encoding). */
  headers?: Record<string, string>;
  check: (status: number, body: string) => boolean;
  /** The user reads the answer (a USSD session that ended starts again). */
  onAnswer?: (status: number, body: string) => void;
}

/** One simulated person: gives the next request, learns from the answer. */
interface User {
  next(): Req;
}

const USSD_PATHS = [
  ['1', '2', '98', '15', '98'],
  ['1', '4', '98', '98', '80', '98', '98'],
  ['2', 'eau', '1'],
  ['2', 'route Kidal', '2', '0', '0'],
  ['3', '215', '0', '480', '98'],
  ['4', '98', '00', '1', '5'],
  ['1', '5', '3', '00', '3', '101'],
];
const SMS_SCRIPTS = [
  ['2.15', 'SUITE'],
  ['4.80', 'SUITE', 'SUITE', 'SUITE'],
  ['T2', 'SUITE', '3.13'],
  ['eau', 'SUITE'],
  ['AIDE', 'route Kidal', 'THEMES', 'EN', '5.9', 'FR'],
];
const SEARCHES = [
  'eau',
  'route',
  'femmes',
  'jeunes',
  'sécurité',
  'education',
  'justice',
  'Kidal',
  'paix',
  'santé',
];

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const FORM = 'application/x-www-form-urlencoded';

function ussdUser(spec: LoadSpec, n: number): User {
  const phone = `+2237${String(spec.seed % 100).padStart(2, '0')}${String(n).padStart(6, '0')}`;
  let path = USSD_PATHS[n % USSD_PATHS.length]!;
  let sessionId = '';
  let hop = 0;
  let session = 0;
  return {
    next() {
      if (hop === 0) {
        sessionId = `ATUid_${randomUUID().replace(/-/g, '')}`;
        path = USSD_PATHS[(n + session++) % USSD_PATHS.length]!;
      }
      const text = path.slice(0, hop).join('*');
      hop = hop >= path.length ? 0 : hop + 1;
      return {
        method: 'POST',
        path: spec.ussdPath,
        contentType: FORM,
        body: form({ sessionId, serviceCode: '*384*123#', phoneNumber: phone, networkCode: '61001', text }),
        check: (status, body) => status === 200 && /^(CON|END) /.test(body),
        onAnswer: (_status, body) => {
          if (body.startsWith('END ')) hop = 0;
        },
      };
    },
  };
}

let messageCounter = 0;
function smsUser(spec: LoadSpec, n: number): User {
  const phone = `+2236${String(spec.seed % 100).padStart(2, '0')}${String(n).padStart(6, '0')}`;
  let script = 0;
  let step = 0;
  return {
    next() {
      const texts = SMS_SCRIPTS[(n + script) % SMS_SCRIPTS.length]!;
      const text = texts[step]!;
      step += 1;
      if (step >= texts.length) {
        step = 0;
        script += 1;
      }
      return {
        method: 'POST',
        path: spec.smsPath,
        contentType: FORM,
        body: form({
          from: phone,
          to: '36000',
          text,
          date: '2024-05-10 10:00:00',
          id: `ATXid_bench_${spec.seed}_${process.pid}_${++messageCounter}`,
          linkId: 'bench',
          networkCode: '61001',
        }),
        check: (status) => status === 200,
      };
    },
  };
}

function searchUser(_spec: LoadSpec, n: number): User {
  let i = n;
  return {
    next() {
      const q = SEARCHES[i++ % SEARCHES.length]!;
      return {
        method: 'GET',
        path: `/api/search?q=${encodeURIComponent(q)}`,
        check: (status, body) => status === 200 && body.startsWith('{'),
      };
    },
  };
}

/** What a phone's browser sends for a page: it takes HTML, compressed. */
const BROWSER_HEADERS = {
  accept: 'text/html,application/xhtml+xml,*/*;q=0.8',
  'accept-encoding': 'gzip, deflate, br',
};
/** Recommendation pages people open from shared links: 30 of them, in the three languages. */
const PAGE_IDS = ['2.15', '1.1', '4.11', '3.13', '5.45', '2.3', '1.38', '4.57', '3.7', '5.52'].flatMap((id) =>
  ['', '?lang=bm', '?lang=en'].map((lang) => `/r/${id}${lang}`),
);

function pageUser(_spec: LoadSpec, n: number): User {
  let i = n;
  return {
    next: () => ({
      method: 'GET',
      path: PAGE_IDS[i++ % PAGE_IDS.length]!,
      headers: BROWSER_HEADERS,
      check: (status, body) => status === 200 && body.length > 0,
    }),
  };
}

function homeUser(_spec: LoadSpec, n: number): User {
  let i = n;
  return {
    next: () => ({
      method: 'GET',
      path: ['/', '/?lang=bm', '/?lang=en'][i++ % 3]!,
      headers: BROWSER_HEADERS,
      check: (status, body) => status === 200 && body.length > 0,
    }),
  };
}

const makers = { ussd: ussdUser, sms: smsUser, search: searchUser, page: pageUser, home: homeUser };

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const url = new URL(spec.base);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) throw new Error('loopback targets only');
  const agent = new Agent({
    keepAlive: true,
    maxSockets: spec.connections,
    maxFreeSockets: spec.connections,
  });
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let sent = 0;
  let completed = 0;
  let ok = 0;
  let malformed = 0;
  let errors = 0;
  const cpuStart = process.cpuUsage();

  const send = (req: Req, dueAt: number) =>
    new Promise<void>((resolve) => {
      sent += 1;
      const r = request(
        {
          agent,
          host: url.hostname,
          port: url.port,
          method: req.method,
          path: req.path,
          headers: {
            ...req.headers,
            ...(req.body
              ? { 'content-type': req.contentType!, 'content-length': Buffer.byteLength(req.body) }
              : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            latencies.push(performance.now() - dueAt);
            completed += 1;
            const status = res.statusCode ?? 0;
            statuses[status] = (statuses[status] ?? 0) + 1;
            const body = Buffer.concat(chunks).toString('utf8');
            if (req.check(status, body)) ok += 1;
            else if (status === 200) malformed += 1;
            req.onAnswer?.(status, body);
            resolve();
          });
        },
      );
      r.on('error', () => {
        errors += 1;
        resolve();
      });
      if (req.body) r.write(req.body);
      r.end();
    });

  const started = performance.now();
  const deadline = started + spec.durationMs;
  const make = makers[spec.scenario];
  let userCount = 0;

  if (spec.mode === 'saturate') {
    await Promise.all(
      Array.from({ length: spec.connections }, async () => {
        const user = make(spec, userCount++);
        while (performance.now() < deadline && sent < spec.maxRequests) {
          await send(user.next(), performance.now());
        }
      }),
    );
  } else {
    const rate = spec.rate ?? 500;
    const idle: User[] = [];
    const inFlight = new Set<Promise<void>>();
    let due = 0;
    while (performance.now() < deadline && sent < spec.maxRequests) {
      const dueAt = started + (due * 1000) / rate;
      const now = performance.now();
      if (now < dueAt) {
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.floor(dueAt - now))));
        continue;
      }
      due += 1;
      // A user waiting for its answer cannot type the next hop: take an idle one or a new person.
      const user = idle.pop() ?? make(spec, userCount++);
      if (inFlight.size >= 2000) throw new Error('more than 2000 requests in flight: the server has stalled');
      const p: Promise<void> = send(user.next(), dueAt).then(() => {
        inFlight.delete(p);
        idle.push(user);
      });
      inFlight.add(p);
    }
    await Promise.all(inFlight);
  }

  const elapsedMs = performance.now() - started;
  agent.destroy();
  latencies.sort((x, y) => x - y);
  const cpu = process.cpuUsage(cpuStart);
  const round = (x: number) => Math.round(x * 100) / 100;
  return {
    scenario: spec.scenario,
    mode: spec.mode,
    sent,
    completed,
    ok,
    malformed,
    statuses,
    errors,
    elapsedMs: Math.round(elapsedMs),
    rps: Math.round((completed / elapsedMs) * 1000),
    p50: round(percentile(latencies, 50)),
    p90: round(percentile(latencies, 90)),
    p99: round(percentile(latencies, 99)),
    max: round(latencies.at(-1) ?? 0),
    clientCpuMs: Math.round((cpu.user + cpu.system) / 1000),
  };
}

if (process.argv[1]?.endsWith('load.ts') && process.argv[2]) {
  const result = await runLoad(JSON.parse(process.argv[2]) as LoadSpec);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
