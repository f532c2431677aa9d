import { describe, expect, it } from 'vitest';
import { holdsNumberFragment, withoutTokens } from './support/leak-scan.js';

describe('looking for a fragment of a phone number', () => {
  it('when a number is shown cut or masked, then its first digits are found', () => {
    expect(holdsNumberFragment('appel de 7612****', '7612')).toBe(true);
    expect(holdsNumberFragment('from=+2237612', '7612')).toBe(true);
    expect(holdsNumberFragment('<td>223761234</td>', '7612')).toBe(true);
  });

  it('when the digits only sit inside a random token or a longer number, then they are not a leak', () => {
    const csrf = '58cb52d2af2d2e61f70eef11717090fbfc876126';
    expect(withoutTokens(`value="${csrf}"`)).toBe('value="<token>"');
    expect(holdsNumberFragment(`value="${csrf}"`, '7612')).toBe(false);
    expect(holdsNumberFragment('"at":1765761200000', '7612')).toBe(false);
  });
});
