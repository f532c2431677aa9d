/**
 * GSM 03.38: the alphabet every handset shows, and the one an SMS is billed in. One character
 * outside it turns a whole SMS into UCS-2 (70 instead of 160 characters a segment), so replies
 * and USSD screens are transliterated before they leave.
 */
const BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const EXTENSION = '^{}\\[~]|€\f';

const basicSet = new Set(BASIC);
const extensionSet = new Set(EXTENSION);

/** Replacements for what French text needs and GSM-7 lacks; the rest loses its accent. */
const TRANSLITERATIONS: Record<string, string> = {
  ç: 'c',
  œ: 'oe',
  Œ: 'OE',
  æ: 'ae',
  '’': "'",
  '‘': "'",
  ʼ: "'",
  '`': "'",
  '´': "'",
  '«': '"',
  '»': '"',
  '“': '"',
  '”': '"',
  '„': '"',
  '…': '...',
  '–': '-',
  '—': '-',
  '‑': '-',
  '−': '-',
  '•': '-',
  '➢': '-',
  '°': 'o',
  '\u00a0': ' ',
  '\u202f': ' ',
  '\u2009': ' ',
  '\t': ' ',
};

export function isGsm7(text: string): boolean {
  for (const ch of text) if (!basicSet.has(ch) && !extensionSet.has(ch)) return false;
  return true;
}

/** Septets the text occupies: extension characters take two. */
export function gsm7Length(text: string): number {
  let length = 0;
  for (const ch of text) length += extensionSet.has(ch) ? 2 : 1;
  return length;
}

function transliterateChar(ch: string, keep: (c: string) => boolean): string {
  if (keep(ch)) return ch;
  const mapped = TRANSLITERATIONS[ch];
  if (mapped !== undefined) return mapped;
  const stripped = ch.normalize('NFD').replace(/\p{M}+/gu, '');
  if (stripped !== ch && [...stripped].every(keep)) return stripped;
  return '?';
}

/** Keeps é è à ù É (and the rest of the alphabet); transliterates what it lacks. */
export function toGsm7(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFC'))
    out += transliterateChar(ch, (c) => basicSet.has(c) || extensionSet.has(c));
  return out;
}

const isPrintableAscii = (c: string) => c === '\n' || (c >= ' ' && c <= '~');

/** Plain ASCII for the gateways and handsets that show nothing else. */
export function toAscii(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFC')) out += transliterateChar(ch, isPrintableAscii);
  return out;
}
