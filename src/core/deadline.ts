/** A promise that did not settle in time. Callers tell it from the promise's own failures. */
export class DeadlineExceeded extends Error {}

/**
 * Settles like `promise`, or rejects with DeadlineExceeded after `ms`: gateways wait seconds,
 * not the minute a stuck dependency can take.
 */
export function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new DeadlineExceeded(`no answer within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
