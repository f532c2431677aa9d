import { connect, type AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayBodyParser, plainFormLength } from '../adapters/gateway/limits.js';

/**
 * The gateway's short road for plain forms (adapters/gateway/limits.ts `plainForm`) must answer
 * exactly as body-parser does: each body is posted once with the plain type (short road) and
 * once with a quoted charset (which only body-parser takes), and both answers must match.
 */
let base = '';
const seenErrors: string[] = [];
let close: () => Promise<void>;

beforeAll(async () => {
  const app = express();
  app.post('/', gatewayBodyParser(), (req, res) => {
    res.json({ body: req.body as unknown });
  });
  app.use(((error: { status?: number; type?: string }, _req, res, _next) => {
    seenErrors.push(error.type ?? 'unknown');
    res.status(error.status ?? 500).json({ error: error.type ?? 'unknown' });
  }) as express.ErrorRequestHandler);
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => new Promise((resolve) => server.close(() => resolve()));
});
afterAll(() => close());

async function post(body: string | Buffer, type: string) {
  const response = await fetch(base, { method: 'POST', headers: { 'content-type': type }, body });
  return { status: response.status, json: (await response.json()) as unknown };
}

const PLAIN = 'application/x-www-form-urlencoded';
const QUOTED = 'application/x-www-form-urlencoded; charset="utf-8"';

const CASES: Array<[string, string | Buffer]> = [
  [
    'an Africa’s Talking hop',
    'sessionId=ATUid_1&serviceCode=*384*12%23&phoneNumber=%2B22370000001&text=1*2*98',
  ],
  ['plus signs and accents', 'text=r%C3%A9ouverture+des+%C3%A9coles&from=%2B22370000002'],
  ['a repeated field', 'from=a&from=b&text=x'],
  ['a field without a value, and empty pairs', 'text&&from=1&'],
  ['a broken percent escape', 'text=%E0%A4%A&from=1'],
  ['an escape that is not UTF-8', 'text=%C3%28'],
  ['raw bytes that are not UTF-8', Buffer.from([0x74, 0x3d, 0xff, 0xfe])],
  ['31 fields', Array.from({ length: 31 }, (_, i) => `f${i}=1`).join('&')],
  ['30 fields', Array.from({ length: 30 }, (_, i) => `f${i}=1`).join('&')],
  ['more than 16 kB', `text=${'a'.repeat(17 * 1024)}`],
  ['an empty body', ''],
];

describe('the plain-form short road of the gateway parser', () => {
  it('when a hop comes as Africa’s Talking sends it, then the short road takes it; other forms go to body-parser', () => {
    expect(plainFormLength({ 'content-type': PLAIN, 'content-length': '80' })).toBe(80);
    expect(plainFormLength({ 'content-type': `${PLAIN}; charset=UTF-8`, 'content-length': '3' })).toBe(3);
    expect(plainFormLength({ 'content-type': QUOTED, 'content-length': '3' })).toBeUndefined();
    expect(plainFormLength({ 'content-type': PLAIN, 'transfer-encoding': 'chunked' })).toBeUndefined();
    expect(
      plainFormLength({ 'content-type': PLAIN, 'content-length': '9', 'content-encoding': 'gzip' }),
    ).toBeUndefined();
    expect(plainFormLength({ 'content-type': PLAIN, 'content-length': String(17 * 1024) })).toBeUndefined();
    expect(plainFormLength({ 'content-type': 'application/json', 'content-length': '2' })).toBeUndefined();
  });

  it.each(CASES)('when %s is posted, then the answer is the one body-parser gives', async (_name, body) => {
    const short = await post(body, PLAIN);
    const parser = await post(body, QUOTED);
    expect(short).toEqual(parser);
  });

  it('when a key would reach the prototype, then it is dropped', async () => {
    const answer = await post('__proto__=x&constructor=y&text=ok', PLAIN);
    expect(answer).toEqual({ status: 200, json: { body: { text: 'ok' } } });
  });

  it('when the client goes away before the whole body came, then the chain ends (request.aborted) and the next request is served', async () => {
    const { port } = new URL(base);
    const socket = connect(Number(port), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(
      `POST / HTTP/1.1\r\nHost: x\r\nContent-Type: ${PLAIN}\r\nContent-Length: 100\r\n\r\ntext=abc`,
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.destroy();
    await expect.poll(() => seenErrors.includes('request.aborted')).toBe(true);
    expect(await post('text=ok', PLAIN)).toEqual({ status: 200, json: { body: { text: 'ok' } } });
  });
});
