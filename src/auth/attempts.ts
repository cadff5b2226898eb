import type { AuditEventsRepository } from '../db/repositories/audit-events.js';
import type { Clock } from '../clock.js';
import { ApiError, TooManyRequests } from '../errors.js';
import { noMetrics, type Metrics } from '../metrics.js';
import { sha256 } from '../secrets/digest.js';
import type { Claim, Throttle, ThrottlePolicy } from './throttle.js';

/** What is being guessed. Passwords are chosen by people; client secrets are made by the server (256 random bits). */
export type SecretKind = 'admin-password' | 'user-password' | 'client-secret';

export interface Attempt {
  kind: SecretKind;
  /**
   * The account the login resolved to, by a key that names it whatever login text reached it (its
   * id: username, email and uuid share one counter), and its name for operators; absent when no
   * account matched.
   */
  account?: { key: string; name: string; adminUserId?: number };
  /** The login as sent. Only its normalized hash is kept, and only when no account matched; it is never recorded (people type passwords there). */
  login: string;
  /** Where the login was looked up (`app:7`, `admins`, `clients`), so unknown logins of two applications are two counters. */
  realm: string;
  /** The request's source address: the socket's, or the client a trusted proxy names (`http/client-address.ts`). */
  ip: string;
  organizationId?: number | null;
  applicationId?: number | null;
}

interface GuardDeps {
  throttle: Throttle;
  auditEvents: AuditEventsRepository;
  clock: Clock;
  /** Where a failure is listed (read only when one is recorded, never on a success). */
  organizations: {
    /** The organization of an application, for an attempt that names only its application. */
    ofApplication(applicationId: number): Promise<number | undefined>;
    /** The organizations an admin administers. */
    ofAdmin(adminUserId: number): Promise<number[]>;
  };
  metrics: Pick<Metrics, 'secretChecked' | 'throttled'>;
}

const minute = 60_000;

/**
 * Per account and source: five free failures, then 1 s, 2 s, 4 s… up to 5 min after the latest.
 * The attacker's source slows down; the owner, elsewhere, is not locked out by it (issue 11, finding 4).
 * Two checks at a time: scrypt is the expensive part, and a person signs in once.
 */
export const perSourcePolicy: ThrottlePolicy = { freeAttempts: 5, maxDelayMs: 5 * minute, forgetAfterMs: 15 * minute, maxInFlight: 2 };

/**
 * Per account, from every source together: the ceiling on guessing spread over many addresses.
 * One failure is forgiven a minute, so one source at the slowest pace the per-source rule allows
 * (one every 5 min) never reaches it; past it everyone waits, the owner included, which is the
 * price of bounding a distributed guesser.
 */
export const perAccountPolicy: ThrottlePolicy = { freeAttempts: 50, maxDelayMs: 5 * minute, forgetAfterMs: 15 * minute, forgiveEveryMs: minute, maxInFlight: 4 };

/**
 * Client secrets are 256 random bits: no count can make guessing them feasible, so a client is
 * never locked out; a source is slowed per client it guesses at, as RFC 6749 §2.3.1 asks. Services
 * send their secret with every request, in parallel: many checks may run at once.
 */
export const clientSecretPolicy: ThrottlePolicy = { freeAttempts: 5, maxDelayMs: 5 * minute, forgetAfterMs: 15 * minute, maxInFlight: 64 };

/** Repeated events of one kind about one account share an audit row per window of this length. */
export const auditWindowMs = 15 * minute;

/** The source a counter is kept for: an IPv4 address, or an IPv6 /64 (a host's usual allocation, every address of which is free to it). */
export function sourceOf(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (!ip.includes(':')) return ip;
  const [head = '', tail = ''] = ip.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((group) => (parseInt(group, 16) || 0).toString(16)).join(':')}::/64`;
}

/**
 * The counter of the account: its id, or for a login that matched nobody the same shape of key, so
 * both behave alike and the throttle does not tell which usernames exist. Client ids are the
 * exception: they are public (shipped inside apps) and grant nothing alone, while made-up ones cost
 * only a hash to check, so each would add a row at that pace. Unknown client ids share one counter
 * per realm (and source).
 */
function accountKey(attempt: Attempt): string {
  if (attempt.account) return attempt.account.key;
  if (attempt.kind === 'client-secret') return `unknown:${attempt.kind}:${attempt.realm}`;
  return `unknown:${attempt.kind}:${attempt.realm}:${sha256(attempt.login.normalize('NFC').toLowerCase())}`;
}

/** The counter of an account as seen from one source (a source that proved the password is remembered under it too). */
const perSourceKey = (attempt: Attempt) => `${accountKey(attempt)}|${sourceOf(attempt.ip)}`;

/**
 * The counters an attempt is counted under. A source that proved the account's password before
 * (within `rememberForMs`) is held to its own counter only, not to the account's ceiling: guessers
 * spread over many addresses can exhaust the ceiling, but not lock the owner out from where they
 * usually sign in.
 */
function claimsOf(attempt: Attempt, knownSource = false): Claim[] {
  const account = accountKey(attempt);
  const perSource = perSourceKey(attempt);
  switch (attempt.kind) {
    case 'admin-password':
    case 'user-password':
      if (knownSource) return [{ key: perSource, policy: perSourcePolicy }];
      return [{ key: perSource, policy: perSourcePolicy }, { key: account, policy: perAccountPolicy }];
    case 'client-secret':
      return [{ key: perSource, policy: clientSecretPolicy }];
    default:
      throw new Error(`No throttle rule for ${String(attempt.kind)}`);
  }
}

/** A wrong secret: the failures the throttle counts (a 400 `invalid_grant`, a 401). */
const countsAsFailure = (error: unknown): error is ApiError => error instanceof ApiError && (error.status === 400 || error.status === 401);

/**
 * One audit row per kind of event, account and window, counting the repeats. Failures of a known
 * account are recorded under its name; those of logins that matched nobody are counted together
 * per realm, so made-up logins cannot grow the table (and what was typed is never stored).
 */
async function record(deps: GuardDeps, attempt: Attempt, type: 'auth.failed' | 'auth.throttled', detail: Record<string, unknown>): Promise<void> {
  const at = deps.clock.now();
  const about = attempt.account?.key ?? `unknown:${attempt.kind}:${attempt.realm}`;
  const bucket = `${type}|${about}|${Math.floor(at / auditWindowMs)}`;
  const event = {
    at, type, subject: attempt.account?.name ?? null, ip: attempt.ip, applicationId: attempt.applicationId ?? null,
    detail: { kind: attempt.kind, ...(!attempt.account && { unknownAccount: true }), ...detail },
  };
  // An admin account belongs to no one organization: its failures are listed in each it administers
  // (a row each, counted alike), so every organization's admins see guessing at one of theirs.
  const adminUserId = attempt.account?.adminUserId;
  const adminOrganizations = adminUserId === undefined ? [] : await deps.organizations.ofAdmin(adminUserId);
  for (const organizationId of adminOrganizations) await deps.auditEvents.count(`${bucket}|org:${organizationId}`, { ...event, organizationId });
  if (adminOrganizations.length > 0) return;
  const organizationId =
    attempt.organizationId ?? (attempt.applicationId != null ? await deps.organizations.ofApplication(attempt.applicationId) : undefined) ?? null;
  await deps.auditEvents.count(bucket, { ...event, organizationId });
}

async function refuse(deps: GuardDeps, attempt: Attempt, retryAfterMs: number): Promise<never> {
  const refusal = new TooManyRequests(retryAfterMs / 1000);
  // By what is guessed, not by `attempt.realm`: a realm names an application, one series each.
  deps.metrics.throttled(attempt.kind);
  await record(deps, attempt, 'auth.throttled', {});
  throw refusal;
}

/**
 * Runs one password check under brute-force protection. The attempt is counted as a failure
 * before the check starts (atomically with looking at the counters), so attempts sent together
 * are refused once the free ones are taken, and given back if the password was right: a success
 * never clears failures counted by other attempts.
 */
async function guardedPassword<T>(deps: GuardDeps, attempt: Attempt, check: () => Promise<T>): Promise<T> {
  const knownSource = attempt.account !== undefined && (await deps.throttle.knows(perSourceKey(attempt)));
  const claims = claimsOf(attempt, knownSource);
  const reservation = await deps.throttle.reserve(claims);
  if (!reservation.granted) return refuse(deps, attempt, reservation.retryAfterMs);
  let result: T;
  try {
    result = await check();
  } catch (error) {
    if (!countsAsFailure(error)) {
      await deps.throttle.refund(claims, reservation.at);
      throw error;
    }
    await deps.throttle.failed(claims, reservation.at);
    deps.metrics.secretChecked(attempt.kind, 'failed');
    await record(deps, attempt, 'auth.failed', { error: error.code });
    throw error;
  }
  deps.metrics.secretChecked(attempt.kind, 'ok');
  await deps.throttle.refund(claims, reservation.at);
  if (attempt.account !== undefined) await deps.throttle.remember(perSourceKey(attempt));
  return result;
}

/**
 * Runs one client-secret comparison (cheap and synchronous: a hash) under brute-force protection.
 * A wrong secret is counted atomically with looking at the counter; a right one counts nothing, so
 * a service sending its secret on many parallel requests is never slowed down. While the source
 * must wait, right and wrong secrets get the same 429: it learns nothing.
 */
async function guardedClientSecret<T>(deps: GuardDeps, attempt: Attempt, verdict: () => T): Promise<T> {
  const claims = claimsOf(attempt);
  let result: T;
  try {
    result = verdict();
  } catch (error) {
    if (!countsAsFailure(error)) throw error;
    const counted = await deps.throttle.countFailure(claims);
    if (!counted.granted) return refuse(deps, attempt, counted.retryAfterMs);
    deps.metrics.secretChecked(attempt.kind, 'failed');
    await record(deps, attempt, 'auth.failed', { error: error.code });
    throw error;
  }
  const wait = await deps.throttle.waitFor(claims);
  if (wait > 0) return refuse(deps, attempt, wait);
  deps.metrics.secretChecked(attempt.kind, 'ok');
  return result;
}

/**
 * The brute-force guard, built once at boot with its counters and audit log, and handed to every
 * place that checks a password or a client secret, so that all of them count under one set of
 * counters whatever route the guess came by.
 */
export interface BruteForceGuard {
  /** Runs one password check under the guard (`guardedPassword`). */
  password<T>(attempt: Attempt, check: () => Promise<T>): Promise<T>;
  /** Runs one client-secret comparison under the guard (`guardedClientSecret`). */
  clientSecret<T>(attempt: Attempt, verdict: () => T): Promise<T>;
}

export function bruteForceGuard(given: Omit<GuardDeps, 'metrics'> & Partial<Pick<GuardDeps, 'metrics'>>): BruteForceGuard {
  const deps: GuardDeps = { ...given, metrics: given.metrics ?? noMetrics };
  return {
    password: (attempt, check) => guardedPassword(deps, attempt, check),
    clientSecret: (attempt, verdict) => guardedClientSecret(deps, attempt, verdict),
  };
}

/** The counters of an application user, whichever login (username, email, uuid) and route reached them. */
export const appUserAccount = (user: { id: number; username: string }) => ({ key: `app-user:${user.id}`, name: user.username });

/** The counters of an admin user (the superuser included). */
export const adminAccount = (admin: { id: number; username: string }) => ({ key: `admin:${admin.id}`, name: admin.username, adminUserId: admin.id });
