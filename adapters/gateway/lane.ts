import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Config } from '../../src/config.js';
import type { Logger, Metrics, RateDecision, RateLimiter } from '../../src/ports/index.js';
import type { Pseudonymizer } from '../../src/privacy/pseudonym.js';
import type { KnownPerson } from './context.js';
import { plainFormLength, readPlainForm, type FormBody, type HttpError } from './limits.js';
import { personKey } from './rate-limit.js';
import { webhookSecretCheck } from './security.js';

/**
 * The fast lane of a gateway webhook: the common request (a POST of a plain form of known
 * length, at the mount's own path, with the right secrets) served on Node's request and
 * response directly, without express. Express costs a USSD hop about as much CPU again as the
 * hop's own work (its router, its request/response setup, `res.send`) and allocates closures
 * that outlive the request (docs in bench/notes.md). Everything else (another path, method or
 * type, a wrong secret, a query string, a chunked body) is left to the express route, whose
 * answers stay the reference: the lane declines before reading a byte.
 *
 * What the lane keeps of the full road, in the same order: the secrets (constant time), the
 * body limits (`readPlainForm`, the gateway's own short road), the person's pseudonym and
 * budget (its key handed to a channel that counts it in its own round trip, USSD; or the
 * limiter asked first, then the channel's over-budget answer, SMS), the request deadline
 * (REQUEST_TIMEOUT_MS, answered with the channel's apology), the channel's clean answers for a
 * refusal or a failure, the HTTP metrics, `nosniff`.
 */

/** A text answer to the gateway (`text/plain`), or JSON when the body is an object. */
export interface LaneAnswer {
  status: number;
  body: string | object;
  /** Beyond the type, length and nosniff every answer has (e.g. Retry-After on a 503). */
  headers?: Record<string, string>;
  /** The media type of a body already serialised (default: text for a string, JSON for an object). */
  type?: string;
}

/** What a channel gives the lane: its handler on a parsed form, and its clean answers. */
export interface GatewayLane {
  /** The sender's phone in the form, when the request is a person's (their budget). */
  phone(body: FormBody): string | undefined;
  /** The channel's answer to a well-formed request; a rejection is answered with `apology`. */
  answer(body: FormBody, person: KnownPerson | undefined): Promise<LaneAnswer>;
  /** A 4xx of the body limits (size, encoding, fields; `type` names it), in the channel's form. */
  refusal(status: number, type: string): LaneAnswer;
  /** A failure or the deadline, in the channel's form (USSD: 200 END and an apology). */
  apology(): LaneAnswer;
  /**
   * The answer to a person over their budget, when the gateway counts it (SMS: one "try again
   * later" per window, and a 200 so the gateway does not deliver again).
   */
  rateLimited?(body: FormBody, decision: RateDecision, pseudonym: string): Promise<LaneAnswer>;
}

/** Counts an answered request as the HTTP metrics middleware would (route by pattern). */
export type HttpObserver = (
  labels: { channel: string; route: string; method: string; status: string },
  seconds: number,
) => void;

/** A raw request handler: true when it took the request, false to leave it to express. */
export type RawLane = (req: IncomingMessage, res: ServerResponse) => boolean;

export interface LaneDeps {
  channel: string;
  /** The mount's pattern (`/ussd/:token`), the metrics' route label. */
  route: string;
  config: Partial<Pick<Config, 'WEBHOOK_TOKEN' | 'WEBHOOK_BASIC_AUTH' | 'REQUEST_TIMEOUT_MS'>>;
  pseudonymize: Pseudonymizer;
  logger: Logger;
  observe?: HttpObserver;
  lane: GatewayLane;
  /**
   * Who counts the person's budget: the channel, in its own round trip (the key goes to it,
   * `PersonLimit.countedByChannel`), the lane before the channel runs (as `mountGateway`'s
   * limit does; needs `limiter` and `lane.rateLimited`), or nobody (no budget configured).
   */
  budget: { by: 'channel' } | { by: 'gateway'; limiter: RateLimiter; metrics: Metrics } | { by: 'none' };
}

const TEXT = 'text/plain; charset=utf-8';
export const JSON_TYPE = 'application/json; charset=utf-8';

/** Writes an answer with the headers a gateway answer has on the express road. */
function write(res: ServerResponse, answer: LaneAnswer): void {
  const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
  const headers = [
    'Content-Type',
    answer.type ?? (typeof answer.body === 'string' ? TEXT : JSON_TYPE),
    'Content-Length',
    String(Buffer.byteLength(text)),
    'X-Content-Type-Options',
    'nosniff',
  ];
  if (answer.headers) for (const [name, value] of Object.entries(answer.headers)) headers.push(name, value);
  // Headers set earlier with setHeader (the API's browser-facing set) are merged by writeHead.
  res.writeHead(answer.status, headers);
  res.end(text);
}

/**
 * The one answer of a request a lane took: the deadline's answer when it runs out of time,
 * then any later answer dropped; nothing written to a client that went away; counted in the
 * HTTP metrics either way (`aborted` for a client gone).
 */
export function answerOnce(
  res: ServerResponse,
  deps: {
    deadlines: Deadlines;
    labels: { channel: string; route: string; method: string };
    observe: HttpObserver | undefined;
    atDeadline: () => LaneAnswer;
  },
): (answer: LaneAnswer) => void {
  const started = process.hrtime.bigint();
  let answered = false;
  const finish = (answer: LaneAnswer) => {
    if (answered) return;
    answered = true;
    deps.deadlines.remove(inFlight);
    const aborted = res.destroyed;
    if (!aborted) write(res, answer);
    deps.observe?.(
      { ...deps.labels, status: aborted ? 'aborted' : String(answer.status) },
      Number(process.hrtime.bigint() - started) / 1e9,
    );
  };
  const inFlight = deps.deadlines.add(() => finish(deps.atDeadline()));
  return finish;
}

export function createLane(deps: LaneDeps): RawLane {
  const { channel, route, lane, logger, observe } = deps;
  const check = webhookSecretCheck(deps.config);
  // `/ussd/<token>` (the token as one segment) or `/ussd` without a token.
  const prefix = deps.config.WEBHOOK_TOKEN ? `/${channel}/` : undefined;
  const exact = `/${channel}`;
  const deadlines = createDeadlines(deps.config.REQUEST_TIMEOUT_MS ?? 5000);
  const overBudget = lane.rateLimited?.bind(lane);
  if (deps.budget.by === 'gateway' && !overBudget)
    throw new Error(`${channel}: a lane whose budget the gateway counts needs rateLimited`);

  return (req, res) => {
    if (req.method !== 'POST') return false;
    const url = req.url ?? '';
    let token = '';
    if (prefix) {
      if (!url.startsWith(prefix)) return false;
      token = url.slice(prefix.length);
      // Escapes, further segments and queries: express decodes and routes those.
      if (token === '' || /[/?%#]/.test(token)) return false;
    } else if (url !== exact) return false;
    if (check(token, req.headers.authorization) !== undefined) return false;
    const length = plainFormLength(req.headers);
    if (length === undefined) return false;

    const finish = answerOnce(res, {
      deadlines,
      labels: { channel, route, method: 'POST' },
      observe,
      atDeadline: () => lane.apology(),
    });
    const failed = (failure: unknown) => {
      logger.error(
        { channel, err: { message: (failure as Error).message, name: (failure as Error).name } },
        'gateway request failed: answered with the apology',
      );
      finish(lane.apology());
    };
    const serve = (error: HttpError | undefined, body: FormBody | undefined) => {
      if (error || !body) {
        finish(lane.refusal(error?.status ?? 400, error?.type ?? 'bad_request'));
        return;
      }
      const phone = lane.phone(body);
      if (typeof phone !== 'string' || phone.trim() === '') {
        lane.answer(body, undefined).then(finish, failed);
        return;
      }
      const pseudonym = deps.pseudonymize(phone);
      const key = personKey('phone', pseudonym);
      const { budget } = deps;
      if (budget.by === 'channel') {
        lane.answer(body, { phone, pseudonym, budget: key }).then(finish, failed);
        return;
      }
      if (budget.by === 'none') {
        lane.answer(body, { phone, pseudonym }).then(finish, failed);
        return;
      }
      budget.limiter
        .hit(key)
        .then((decision) => {
          if (decision.allowed) return lane.answer(body, { phone, pseudonym });
          budget.metrics.rateLimited(channel);
          return overBudget!(body, decision, pseudonym);
        })
        .then(finish, failed);
    };
    readPlainForm(req, length, (error, body) => {
      try {
        serve(error, body);
      } catch (thrown) {
        failed(thrown);
      }
    });
    return true;
  };
}

/**
 * The request deadline of every request in a lane, checked by one timer instead of one timer
 * per request: entries are kept in arrival order, so a sweep stops at the first that still has
 * time. The answer is late by at most a sweep's period (a quarter of the deadline, ≤ 250 ms).
 */
export type Deadlines = ReturnType<typeof createDeadlines>;

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

/** The request listener: each lane may take a request first, express gets the rest. */
export function lanesFirst(
  lanes: RawLane[],
  app: (req: IncomingMessage, res: ServerResponse) => void,
): (req: IncomingMessage, res: ServerResponse) => void {
  if (lanes.length === 0) return app;
  return (req, res) => {
    for (const lane of lanes) {
      let taken = false;
      try {
        taken = lane(req, res);
      } catch {
        // A lane decides before it reads a byte: one that fails there leaves the request to
        // express, whose answers are the reference, instead of an uncaught exception.
        taken = false;
      }
      if (taken) return;
    }
    app(req, res);
  };
}
