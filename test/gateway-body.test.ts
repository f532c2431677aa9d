import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyKind, readBody } from '../adapters/gateway/body.js';
import type { Refusal } from '../adapters/gateway/contract.js';

/**
 * The gateways' one body reader (adapters/gateway/body.ts): each body is posted with the plain
 * type Africa's Talking sends and with a quoted charset (the media-type parser's road), and both
 * must give the answer body-parser gave before the reader replaced it (recorded from it).
 */
let base = '';
let server: Server;
const refusals: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    readBody(req, (refusal: Refusal | undefined, body) => {
      if (refusal) refusals.push(refusal.type);
      res.writeHead(refusal?.status ?? 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(refusal ? { error: refusal.type } : { body: body!.fields }));
    });
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function post(body: string | Buffer, type: string, headers: Record<string, string> = {}) {
  const response = await fetch(base, { method: 'POST', headers: { 'content-type': type, ...headers }, body });
  return { status: response.status, json: (await response.json()) as unknown };
}

const PLAIN = 'application/x-www-form-urlencoded';
const QUOTED = 'application/x-www-form-urlencoded; charset="utf-8"';
const JSON_TYPE = 'application/json';
const ok = (body: unknown) => ({ status: 200, json: { body } });
const no = (status: number, error: string) => ({ status, json: { error } });

const FORMS: Array<[string, string | Buffer, { status: number; json: unknown }]> = [
  [
    'an Africa’s Talking hop',
    'sessionId=ATUid_1&serviceCode=*384*12%23&phoneNumber=%2B22370000001&text=1*2*98',
    ok({ sessionId: 'ATUid_1', serviceCode: '*384*12#', phoneNumber: '+22370000001', text: '1*2*98' }),
  ],
  [
    'plus signs and accents',
    'text=r%C3%A9ouverture+des+%C3%A9coles&from=%2B22370000002',
    ok({ text: 'réouverture des écoles', from: '+22370000002' }),
  ],
  ['a repeated field', 'from=a&from=b&text=x', ok({ from: ['a', 'b'], text: 'x' })],
  ['a field without a value, and empty pairs', 'text&&from=1&', ok({ text: '', from: '1' })],
  ['a broken percent escape', 'text=%E0%A4%A&from=1', no(400, 'encoding.invalid')],
  ['an escape that is not UTF-8', 'text=%C3%28', no(400, 'encoding.invalid')],
  ['raw bytes that are not UTF-8', Buffer.from([0x74, 0x3d, 0xff, 0xfe]), no(400, 'encoding.invalid')],
  ['31 fields', Array.from({ length: 31 }, (_, i) => `f${i}=1`).join('&'), no(413, 'parameters.too.many')],
  [
    '30 fields',
    Array.from({ length: 30 }, (_, i) => `f${i}=1`).join('&'),
    ok(Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`f${i}`, '1']))),
  ],
  ['more than 16 kB', `text=${'a'.repeat(17 * 1024)}`, no(413, 'entity.too.large')],
  ['an empty body', '', ok({})],
];

describe('the gateways’ body reader', () => {
  it.each(FORMS)(
    'when a form with %s is posted, then the answer is the one body-parser gave',
    async (_n, body, want) => {
      expect(await post(body, PLAIN)).toEqual(want);
      expect(await post(body, QUOTED)).toEqual(want);
    },
  );

  it.each([
    ['an object', '{"a":"1","n":2}', ok({ a: '1', n: 2 })],
    ['broken JSON', '{"a":', no(400, 'entity.parse.failed')],
    ['a bare string', '"x"', no(400, 'entity.parse.failed')],
    ['nothing', '', ok({})],
    [
      '31 fields',
      JSON.stringify(Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`f${i}`, 1]))),
      no(413, 'parameters.too.many'),
    ],
    [
      'bytes that are not UTF-8',
      Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]),
      no(400, 'encoding.invalid'),
    ],
  ])('when JSON with %s is posted, then the answer is the one body-parser gave', async (_n, body, want) => {
    expect(await post(body, JSON_TYPE)).toEqual(want);
    expect(await post(body, `${JSON_TYPE}; charset=utf-8`)).toEqual(want);
  });

  it('when a list comes as JSON, then it is refused: a gateway’s JSON is an object', async () => {
    expect(await post('[1,2]', JSON_TYPE)).toEqual(no(400, 'entity.parse.failed'));
  });

  it.each([
    ['text/plain', 'abc', 'text/plain', {}, no(415, 'content_type.unsupported')],
    ['another charset', 'a=1', `${PLAIN}; charset=latin1`, {}, no(415, 'charset.unsupported')],
    ['a compressed body', 'a=1', QUOTED, { 'content-encoding': 'gzip' }, no(415, 'encoding.unsupported')],
  ])(
    'when a body comes as %s, then it is refused before a byte is read',
    async (_n, body, type, headers, want) => {
      expect(await post(body, type, headers)).toEqual(want);
    },
  );

  it('when a body comes chunked, without a length, then it is read within the same limits', async () => {
    const send = (text: string) =>
      fetch(base, {
        method: 'POST',
        headers: { 'content-type': PLAIN },
        body: new Blob([text]).stream(),
        duplex: 'half',
      } as RequestInit).then(async (res) => ({ status: res.status, json: (await res.json()) as unknown }));
    expect(await send('text=1&from=2')).toEqual(ok({ text: '1', from: '2' }));
    expect(await send(`text=${'a'.repeat(17 * 1024)}`)).toEqual(no(413, 'entity.too.large'));
  });

  it('when a key would reach the prototype, then it is dropped', async () => {
    expect(await post('__proto__=x&constructor=y&prototype=z&text=ok', PLAIN)).toEqual(ok({ text: 'ok' }));
  });

  it('when the headers are read, then a length over the limit is refused before the body', () => {
    expect(bodyKind({ 'content-type': PLAIN, 'content-length': '80' })).toBe('form');
    expect(bodyKind({ 'content-type': QUOTED, 'content-length': '3' })).toBe('form');
    expect(bodyKind({ 'content-type': JSON_TYPE, 'transfer-encoding': 'chunked' })).toBe('json');
    expect(bodyKind({ 'content-type': PLAIN, 'content-length': '0' })).toBeUndefined();
    expect(bodyKind({ 'content-type': PLAIN, 'content-length': String(17 * 1024) })).toEqual({
      status: 413,
      type: 'entity.too.large',
    });
  });

  it('when the client goes away before the whole body came, then the read ends (request.aborted) and the next request is served', async () => {
    const { port } = new URL(base);
    const socket = connect(Number(port), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(
      `POST / HTTP/1.1\r\nHost: x\r\nContent-Type: ${PLAIN}\r\nContent-Length: 100\r\n\r\ntext=abc`,
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.destroy();
    await expect.poll(() => refusals.includes('request.aborted')).toBe(true);
    expect(await post('text=ok', PLAIN)).toEqual(ok({ text: 'ok' }));
  });
});
