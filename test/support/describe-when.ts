import { describe } from 'vitest';

/**
 * `describe` for a suite that needs a tool of the machine (Redis, espeak-ng and sox, ...). Without
 * it the suite is skipped with a loud warning, except under CI=true, where .ci/run installs every
 * tool and a missing one fails the run instead of passing silently.
 */
export function describeWhen(available: boolean, what: string, name: string, body: () => void): void {
  if (available) {
    describe(name, body);
    return;
  }
  if (process.env.CI === 'true') {
    describe(name, () => {
      throw new Error(`CI=true but ${what} is missing (.ci/run installs it)`);
    });
    return;
  }
  process.stderr.write(`\n*** SKIPPED (no ${what}): ${name} ***\n`);
  describe.skip(name, body);
}
