/**
 * One person, one number: gateways write the same Malian number in several ways (`+22376000002`
 * from Africa's Talking, `22376000002` as a WhatsApp id, `0022376000002` with the international
 * prefix, `76000002` as dialled at home, even `+2230076000002`). Every place that hashes a number
 * into a pseudonym (and so every budget, cap, opt-out and session) goes through `phoneIdentity`,
 * so these are one pseudonym, not five.
 *
 * Mali's numbering plan: country code 223, eight-digit national numbers, no trunk prefix.
 */
const MALI_COUNTRY_CODE = '223';
const MALI_NATIONAL_LENGTH = 8;

/**
 * The number in E.164 (`+22376000002`), or undefined when `raw` is not a phone number (too short
 * or too long once the separators are gone, or other characters than digits and separators).
 */
export function toE164(raw: string): string | undefined {
  const trimmed = raw.trim();
  if (!/^\+?[\d\s().-]+$/.test(trimmed)) return undefined;
  const digits = trimmed.replace(/\D/g, '');
  let international: string;
  // "+00223…": a gateway that prefixes every number with "+" put one before the "00".
  if (digits.startsWith('00')) international = digits.slice(2);
  else if (trimmed.startsWith('+')) international = digits;
  else if (digits.length === MALI_NATIONAL_LENGTH) international = MALI_COUNTRY_CODE + digits;
  // Without a prefix, anything but a national number is taken as international (a WhatsApp id).
  else international = digits;
  if (international.startsWith(MALI_COUNTRY_CODE)) {
    // "+223 00 76..." (a zero or two typed after the country code) is still the same number.
    const national = international.slice(MALI_COUNTRY_CODE.length).replace(/^0+/, '');
    if (national.length !== MALI_NATIONAL_LENGTH) return undefined;
    international = MALI_COUNTRY_CODE + national;
  }
  if (international.length < 6 || international.length > 15 || international.startsWith('0'))
    return undefined;
  return `+${international}`;
}

/**
 * What is hashed for a number: its E.164 digits without the `+` (the form pseudonyms were made
 * of before this normaliser, for numbers that arrived as `+223…`: stored opt-outs still match),
 * or its digits when it is not a number we can read (a gateway's test value, a short code).
 */
export function phoneIdentity(raw: string): string {
  const e164 = toE164(raw);
  return e164 ? e164.slice(1) : raw.replace(/\D/g, '');
}

/** Whether `raw` is a Malian mobile number (what the line may call back). */
export function isMaliNumber(raw: string): boolean {
  return toE164(raw)?.startsWith(`+${MALI_COUNTRY_CODE}`) ?? false;
}

/** A number as a gateway writes it: "+" optional, 6 to 15 digits (E.164's most), separators tolerated. */
const GATEWAY_PHONE = /^\+?\d{6,15}$/;

/**
 * Whether a gateway's field holds a phone number (USSD, SMS, voice, the dev outboxes): one rule
 * and one length range for every channel. Spaces, dashes and brackets are tolerated.
 */
export function isGatewayPhone(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 32 && GATEWAY_PHONE.test(value.replace(/[\s()-]/g, ''));
}
