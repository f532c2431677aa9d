import session, { type SessionData } from 'express-session';
import type { SessionStore } from '../../src/ports/index.js';

/**
 * express-session's store over the service's own SessionStore port: Redis when configured
 * (shared by every instance, prefix and timeouts as everywhere), this process's memory otherwise
 * (not express-session's MemoryStore, which never expires entries). A session lives as long as
 * its cookie; express-session keeps the signing, regeneration and cookie handling.
 */
export class PortSessionStore extends session.Store {
  constructor(
    private readonly store: SessionStore,
    private readonly defaultTtlSeconds: number,
  ) {
    super();
  }

  private key(sid: string): string {
    return `console:sess:${sid}`;
  }

  private ttl(data: SessionData): number {
    const maxAge = data.cookie?.maxAge;
    return typeof maxAge === 'number' && maxAge > 0 ? Math.ceil(maxAge / 1000) : this.defaultTtlSeconds;
  }

  override get(sid: string, callback: (err: unknown, session?: SessionData | null) => void): void {
    this.store.get<SessionData>(this.key(sid)).then(
      (data) => callback(null, data ?? null),
      (error: unknown) => callback(error),
    );
  }

  override set(sid: string, data: SessionData, callback?: (err?: unknown) => void): void {
    this.store.set(this.key(sid), data, this.ttl(data)).then(
      () => callback?.(),
      (error: unknown) => callback?.(error),
    );
  }

  override touch(sid: string, data: SessionData, callback?: () => void): void {
    this.store.set(this.key(sid), data, this.ttl(data)).then(
      () => callback?.(),
      () => callback?.(),
    );
  }

  override destroy(sid: string, callback?: (err?: unknown) => void): void {
    this.store.delete(this.key(sid)).then(
      () => callback?.(),
      (error: unknown) => callback?.(error),
    );
  }
}
