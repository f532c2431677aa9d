import type { Request, RequestHandler } from 'express';

/**
 * What the studio needs from the operators' login system (the console's, adapters/console/
 * auth.ts, wired by adapters/service.ts: one login system, its accounts with the `recorder`
 * role, its session, sign-in limits and audit log). The studio imports nothing from the console.
 */
export interface StudioAccess {
  /** Before every studio route: the session, then "signed in with a role that records". */
  guard: RequestHandler[];
  /** Checks the session's CSRF token (`X-CSRF-Token`) on a POST. */
  csrf: RequestHandler;
  csrfToken(req: Request): string;
  isCsrfError(error: unknown): boolean;
  /** The operator's account name. */
  user(req: Request): string | undefined;
  /** One line of the console's audit log, under the operator's name. */
  audit(req: Request, action: string, detail: string): Promise<void>;
}
