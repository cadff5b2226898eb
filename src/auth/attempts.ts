import type { AuditEventsRepository } from '../db/repositories/audit-events.js';
import type { Clock } from '../clock.js';
import { ApiError, TooManyRequests } from '../errors.js';
import type { Throttle } from './throttle.js';

export interface Attempt {
  /** What is being guessed: `admin-password`, `user-password`, `client-secret`… */
  kind: string;
  /** Whose secret: a username, an email, a client id (never the secret). */
  subject: string;
  ip?: string;
  organizationId?: number | null;
  applicationId?: number | null;
}

/**
 * Runs one check of a password or client secret under brute-force protection: refused with 429
 * while the subject must wait, counted when it fails (an `ApiError` of status 400 or 401), cleared
 * when it succeeds. Every failure and every refusal is recorded as an audit event.
 */
export async function guardedAttempt<T>(
  deps: { throttle: Throttle; auditEvents: AuditEventsRepository; clock: Clock },
  attempt: Attempt,
  check: () => Promise<T>,
): Promise<T> {
  const key = `${attempt.kind}:${attempt.applicationId ?? attempt.organizationId ?? ''}:${attempt.subject.toLowerCase()}`;
  const record = (type: string, detail?: Record<string, unknown>) =>
    deps.auditEvents.insert({
      at: deps.clock.now(), type, subject: attempt.subject, ip: attempt.ip ?? null, organizationId: attempt.organizationId ?? null,
      applicationId: attempt.applicationId ?? null, detail: { kind: attempt.kind, ...detail },
    });
  try {
    deps.throttle.check(key);
  } catch (refusal) {
    if (refusal instanceof TooManyRequests) await record('auth.throttled', { retryAfter: refusal.headers['Retry-After'] });
    throw refusal;
  }
  try {
    const result = await check();
    deps.throttle.succeeded(key);
    return result;
  } catch (error) {
    if (error instanceof ApiError && (error.status === 400 || error.status === 401)) {
      deps.throttle.failed(key);
      await record('auth.failed', { error: error.code });
    }
    throw error;
  }
}
