/**
 * One error type per layer, so each layer's callers catch one class:
 *
 * - StartupError: the data the service starts from is unusable (configuration, corpus,
 *   language catalogs; the lexicon's LexiconError is the same kind). main.ts prints its one-line
 *   message and exits 1, no stack trace. `what` names the data for the log.
 * - ConversationError: a text channel wired against the use case's contract (stored paging
 *   without a page store, opt-out without a registry): a programming error, thrown at wiring.
 * - Store failures are whatever the store client throws (ioredis), counted and rethrown
 *   unchanged by the instrumented store; a deadline is DeadlineExceeded (core/deadline.ts).
 * - The HTTP layer answers with its own HttpError (adapters/http/limits.ts).
 */
export class StartupError extends Error {
  constructor(
    readonly what: string,
    message: string,
  ) {
    super(message);
  }
}

export class ConversationError extends Error {}
