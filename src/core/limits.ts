/**
 * Lengths the core holds every channel to, defined once.
 *
 * MAX_QUERY_LENGTH: a search query is cut here (the engine) or refused beyond it (the HTTP API):
 * no one types more on a phone, and search time grows with length.
 * MAX_INCOMING_CHARS: longer than any question a person types (≈4 SMS): a text message over
 * it is answered politely, never parsed or searched.
 */
export const MAX_QUERY_LENGTH = 200;
export const MAX_INCOMING_CHARS = 640;
