import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ALLOWED } from '../../adapters/voice/dialects/africastalking.js';
import { wavHeader } from '../../adapters/voice/audio/wav.js';
import { spokenLanguages, type Synthesizer } from '../../adapters/voice/audio/synth.js';
import { parseAudioPath } from '../../adapters/voice/audio/routes.js';

/** One action of an Africa's Talking answer, as the gateway would read it. */
export interface AtAction {
  tag: string;
  attributes: Record<string, string>;
  text: string;
  children: AtAction[];
}

type Node = Record<string, unknown> & { ':@'?: Record<string, string> };

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
});

function toAction(node: Node): AtAction {
  const tag = Object.keys(node).find((k) => k !== ':@')!;
  const children = (node[tag] as Node[]).filter((child) => !('#text' in child));
  const text = (node[tag] as Node[])
    .filter((child) => '#text' in child)
    .map((child) => String(child['#text']))
    .join('');
  return { tag, attributes: node[':@'] ?? {}, text, children: children.map(toAction) };
}

/**
 * Parses an answer and checks it is one the gateway accepts: well-formed XML, a `Response`
 * root, only the dialect's elements and attributes, exactly one Say or Play inside each
 * GetDigits, absolute http(s) URLs. Throws on the first violation; returns the actions.
 */
export function parseAtAnswer(xml: string): AtAction[] {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new Error(`not well-formed XML: ${JSON.stringify(valid.err)}\n${xml}`);
  if (!xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')) throw new Error('missing XML declaration');
  const nodes = (parser.parse(xml) as Node[]).filter((n) => !('?xml' in n));
  if (nodes.length !== 1 || !('Response' in nodes[0]!)) throw new Error(`root must be one Response: ${xml}`);
  const root = toAction(nodes[0]!);
  const check = (action: AtAction, parent: string) => {
    const allowed = ALLOWED[action.tag];
    if (!allowed) throw new Error(`element ${action.tag} is not one of the gateway's`);
    for (const name of Object.keys(action.attributes)) {
      if (!allowed.includes(name)) throw new Error(`attribute ${name} not allowed on ${action.tag}`);
    }
    if (parent === 'GetDigits' && action.tag !== 'Say' && action.tag !== 'Play') {
      throw new Error(`only Say or Play may be nested in GetDigits, not ${action.tag}`);
    }
    if (parent === 'Response' && action.tag === 'Response') throw new Error('nested Response');
    if (action.tag === 'GetDigits' && action.children.length !== 1) {
      throw new Error(`GetDigits must nest exactly one Say or Play, has ${action.children.length}`);
    }
    if (['Say', 'Play', 'Redirect', 'Reject'].includes(action.tag) && action.children.length > 0) {
      throw new Error(`${action.tag} takes no child element`);
    }
    if (action.tag === 'Play' && !/^https?:\/\/[^\s]+$/.test(action.attributes.url ?? '')) {
      throw new Error(`Play needs an absolute url: ${action.attributes.url}`);
    }
    if (action.tag === 'Say' && action.text.trim() === '') throw new Error('empty Say');
    if (action.tag === 'GetDigits') {
      const { numDigits, timeout, finishOnKey } = action.attributes;
      if (numDigits !== undefined && !/^[1-9]\d*$/.test(numDigits)) throw new Error(`numDigits ${numDigits}`);
      if (timeout !== undefined && !/^[1-9]\d*$/.test(timeout)) throw new Error(`timeout ${timeout}`);
      if (finishOnKey !== undefined && !/^[0-9*#]$/.test(finishOnKey))
        throw new Error(`finishOnKey ${finishOnKey}`);
    }
    action.children.forEach((child) => check(child, action.tag));
  };
  root.children.forEach((child) => check(child, 'Response'));
  return root.children;
}

/** Every Play URL of an answer, nested or not, in order. */
export function playUrls(actions: AtAction[]): string[] {
  return actions.flatMap((a) => (a.tag === 'Play' ? [a.attributes.url!] : playUrls(a.children)));
}

/** Seconds of synthesised speech per character in the tone synthesiser (espeak-ng at 145 wpm is close). */
export const TONE_SECONDS_PER_CHAR = 0.06;

/** A tone in the line's format lasting as long as `text` would take to say. */
function toneWav(text: string): Buffer {
  const rate = 8000;
  const samples = Math.max(1, Math.round(text.length * TONE_SECONDS_PER_CHAR * rate));
  const data = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++)
    data.writeInt16LE(Math.round(Math.sin((2 * Math.PI * 440 * i) / rate) * 8000), i * 2);
  return Buffer.concat([wavHeader(data.length, rate), data]);
}

/**
 * A stand-in synthesiser for HTTP flow tests: a 440 Hz tone in the line's format, as long as
 * the text would take to say. The real engine is tested on a few items (voice-audio.test.ts);
 * this one lets a test build the 300 readings in milliseconds. `hold` keeps every synthesis
 * waiting until the test lets it go (a slow engine, without timing); `calls` counts them.
 */
export function createToneSynthesizer(options: { hold?: boolean } = {}) {
  let held: Array<() => void> = [];
  let holding = options.hold ?? false;
  const texts: string[] = [];
  const synthesizer: Synthesizer = {
    name: 'tone',
    // The catalogs' spoken languages as they are when asked (a test may install a fourth).
    get langs() {
      return spokenLanguages();
    },
    concurrency: 2,
    async synthesize(text) {
      texts.push(text);
      if (holding) await new Promise<void>((resolve) => held.push(resolve));
      return toneWav(text);
    },
  };
  return {
    synthesizer,
    texts,
    /** Lets every held synthesis finish, and the next ones run at once. */
    release() {
      holding = false;
      const waiting = held;
      held = [];
      waiting.forEach((go) => go());
    },
    /** Synthesis held again from now on. */
    hold() {
      holding = true;
    },
  };
}

export const toneSynthesizer: Synthesizer = createToneSynthesizer().synthesizer;

let counter = 0;

/** An answer of the line as the gateway reads it: status, XML, actions and every Play URL. */
export interface VoiceAnswer {
  status: number;
  contentType: string | null;
  xml: string;
  actions: AtAction[];
  urls: string[];
}

export async function post(
  baseUrl: string,
  fields: Record<string, string>,
  path = '/voice',
): Promise<VoiceAnswer> {
  const res = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
  });
  const xml = await res.text();
  const actions = parseAtAnswer(xml);
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    xml,
    actions,
    urls: playUrls(actions),
  };
}

/** One phone call: `start()` then `press(keys)`; `hangUp()` sends the final request. */
export function newCall(baseUrl: string, caller = `+2237${String(++counter).padStart(7, '0')}`) {
  const sessionId = `ATVId_test_${process.pid}_${counter}_${Date.now()}`;
  const fields = {
    isActive: '1',
    sessionId,
    direction: 'Inbound',
    callerNumber: caller,
    destinationNumber: '+22320000000',
  };
  return {
    sessionId,
    caller,
    start: () => post(baseUrl, fields),
    press: (dtmfDigits: string) => post(baseUrl, { ...fields, dtmfDigits }),
    hangUp: (extra: Record<string, string> = {}) =>
      post(baseUrl, {
        ...fields,
        isActive: '0',
        durationInSeconds: '95',
        amount: '45',
        currencyCode: 'XOF',
        ...extra,
      }),
  };
}

/** The items a Play URL names ("/audio/seq/fr:prompt:a,fr:prompt:b.wav" → two refs). */
export function itemsOf(url: string): string[] {
  const refs = parseAudioPath(new URL(url).pathname.slice('/audio'.length));
  if (!refs) throw new Error(`not an audio URL: ${url}`);
  return refs.map((r) => `${r.lang}:${r.kind}:${r.key}`);
}

/** The items of the prompt a digits request plays. */
export const menuItems = (answer: VoiceAnswer) =>
  itemsOf(answer.actions.find((a) => a.tag === 'GetDigits')!.children[0]!.attributes.url!);
