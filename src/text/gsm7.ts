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

/**
 * Replacements for what French text needs and GSM-7 lacks; the rest loses its accent. A
 * language's own letters (Bambara's ɛ ɔ ɲ ŋ) are its catalog's data, see `useLanguageLetters`.
 */
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

/** Letters GSM-7 lacks and the GSM-7 spelling their readers know (a catalog's `meta.letters`). */
export type LetterSpellings = ReadonlyMap<string, string>;

let languageLetters: LetterSpellings = new Map();

/**
 * The installed catalogs' letters (src/i18n sets them each time catalogs are installed): every
 * GSM-7 text is written with their spelling, whatever its language, as a Bambara word quoted in
 * a French reply is. Catalogs are installed at start-up, before any text leaves.
 */
export function useLanguageLetters(letters: LetterSpellings): void {
  languageLetters = letters;
}

function transliterateChar(ch: string, keep: (c: string) => boolean, letters: LetterSpellings): string {
  if (keep(ch)) return ch;
  const mapped = letters.get(ch) ?? TRANSLITERATIONS[ch];
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

/**
 * Keeps é è à ù É (and the rest of the alphabet); transliterates what it lacks. `keep` names
 * characters to leave as they are (a language's letters, when its SMS go out in UCS-2);
 * `letters`, the spellings of languages' letters (default: the installed catalogs').
 */
export function toGsm7(
  text: string,
  keep?: ReadonlySet<string>,
  letters: LetterSpellings = languageLetters,
): string {
  let out = '';
  for (const ch of plainQuotes(text.normalize('NFC')))
    out += transliterateChar(
      ch,
      (c) => basicSet.has(c) || extensionSet.has(c) || keep?.has(c) === true,
      letters,
    );
  return out;
}

const isPrintableAscii = (c: string) => c === '\n' || (c >= ' ' && c <= '~');

/** Plain ASCII for the gateways and handsets that show nothing else. */
export function toAscii(text: string): string {
  let out = '';
  for (const ch of plainQuotes(text.normalize('NFC')))
    out += transliterateChar(ch, isPrintableAscii, languageLetters);
  return out;
}
