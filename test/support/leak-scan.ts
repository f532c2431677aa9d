/**
 * Blanks the random tokens in a text (CSRF tokens, session ids, pseudonyms, hashes) before a test
 * looks for a short fragment of a phone number in it. A 4-digit fragment turns up by chance in a
 * 256-character hex token about once in 60 runs (CI stop 40 failed on a CSRF token ending
 * "…fc876126", which holds "7612"). A phone number is at most 15 digits, so a run of 16 or more
 * hex characters with a letter in it is a token, never a number. Whole numbers are still looked
 * for in the raw text: only fragments need this.
 */
export function withoutTokens(text: string): string {
  return text.replace(/[0-9a-f]{16,}/gi, (run) => (/[a-f]/i.test(run) ? '<token>' : run));
}

/** Whether a text holds `digits` as the start of a number (not inside a longer run of digits). */
export function holdsNumberFragment(text: string, digits: string): boolean {
  return new RegExp(`(?<!\\d)(?:\\+?223)?${digits}`).test(withoutTokens(text));
}
