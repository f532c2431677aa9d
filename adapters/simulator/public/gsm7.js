// Counts a text the way the channels do (src/text/gsm7.ts): extension characters take two
// septets; anything outside the alphabet is reported, since it would force UCS-2.

/** @param {{basic: string, extension: string}} alphabet */
export function createGsmCounter(alphabet) {
  const basic = new Set(alphabet.basic);
  const extension = new Set(alphabet.extension);
  /** @param {string} text */
  return function count(text) {
    let septets = 0;
    const outside = new Set();
    for (const ch of text) {
      if (extension.has(ch)) septets += 2;
      else {
        septets += 1;
        if (!basic.has(ch)) outside.add(ch);
      }
    }
    return { septets, outside: [...outside] };
  };
}
