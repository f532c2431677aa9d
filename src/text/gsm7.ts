/**
 * GSM 03.38: the alphabet every handset shows, and the one an SMS is billed in. One character
 * outside it turns a whole SMS into UCS-2 (70 instead of 160 characters a segment), so replies
 * and USSD screens are transliterated before they leave.
 */
const BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const EXTENSION = '^{}\\[~]|€\f';

const basicSet = new Set(BASIC);
/** Characters that take two septets (an escape and the character). */
export const extensionSet: ReadonlySet<string> = new Set(EXTENSION);

/** Replacements for what French text needs and GSM-7 lacks; the rest loses its accent. */
const TRANSLITERATIONS: Record<string, string> = {
  // Bambara's official letters (decree of 1982) lack from GSM-7: the older spelling readers
  // know (docs/translating.md). Capitals to plain letters, GSM-7 has no È or Ò.
  ɛ: 'è',
  Ɛ: 'E',
  ɔ: 'ò',
  Ɔ: 'O',
  ɲ: 'ny',
  Ɲ: 'Ny',
  ŋ: 'ng',
  Ŋ: 'Ng',
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
  // Other Latin letters that do not decompose into a base letter and a mark.
  đ: 'd',
  Đ: 'D',
  ł: 'l',
  Ł: 'L',
  ı: 'i',
  ɓ: 'b',
  ɗ: 'd',
  ƴ: 'y',
  ʋ: 'v',
  ə: 'e',
  þ: 'th',
  ð: 'd',
};

export function isGsm7(text: string): boolean {
  for (const ch of text) if (!basicSet.has(ch) && !extensionSet.has(ch)) return false;
  return true;
}

/** Septets the text occupies: extension characters take two. */
export function gsm7Length(text: string): number {
  // Counted per UTF-16 unit (it runs on every line of every USSD screen): one per code point,
  // like iterating the string, plus one for each extension character (all in the BMP:
  // \f [ \ ] ^ { | } ~ €).
  let length = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x5b) {
      if (c === 0x0c) length++;
    } else if (c <= 0x5e || (c >= 0x7b && c <= 0x7e) || c === 0x20ac) length++;
    else if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        length--; // a surrogate pair is one code point
        i++;
      }
    }
  }
  return length;
}

function transliterateChar(ch: string, keep: (c: string) => boolean): string {
  if (keep(ch)) return ch;
  const mapped = TRANSLITERATIONS[ch];
  // "è" (for ɛ) is GSM-7 but not ASCII: a mapping is itself brought down to what the target keeps.
  if (mapped !== undefined) return [...mapped].map((c) => (keep(c) ? c : stripMarks(c, keep))).join('');
  return stripMarks(ch, keep);
}

/**
 * The letter without its accents when that is in the alphabet; otherwise nothing. A character
 * no phone can show (an emoji, another script) is left out rather than echoed as "?".
 */
function stripMarks(ch: string, keep: (c: string) => boolean): string {
  const stripped = ch.normalize('NFD').replace(/\p{M}+/gu, '');
  if (stripped !== ch && [...stripped].every(keep)) return stripped;
  return '';
}

/**
 * French quotes hold their words with no-break spaces (« eau »); in GSM-7 they become plain
 * quotes hugging the words ("eau"), as people write them on a phone. Ordinary spaces are kept.
 */
function plainQuotes(text: string): string {
  return text.replace(/«[\u00a0\u202f]/g, '«').replace(/[\u00a0\u202f]»/g, '»');
}

/** Bambara's letters GSM-7 lacks: kept when an SMS is sent in UCS-2 (SMS_BAMBARA_ENCODING=ucs2). */
export const BAMBARA_LETTERS: ReadonlySet<string> = new Set('ɛɔɲŋƐƆƝŊ');

/**
 * Keeps é è à ù É (and the rest of the alphabet); transliterates what it lacks. `keep` names
 * characters to leave as they are (the text then needs UCS-2).
 */
export function toGsm7(text: string, keep?: ReadonlySet<string>): string {
  let out = '';
  for (const ch of plainQuotes(text.normalize('NFC')))
    out += transliterateChar(ch, (c) => basicSet.has(c) || extensionSet.has(c) || keep?.has(c) === true);
  return out;
}

const isPrintableAscii = (c: string) => c === '\n' || (c >= ' ' && c <= '~');

/** Plain ASCII for the gateways and handsets that show nothing else. */
export function toAscii(text: string): string {
  let out = '';
  for (const ch of plainQuotes(text.normalize('NFC'))) out += transliterateChar(ch, isPrintableAscii);
  return out;
}
