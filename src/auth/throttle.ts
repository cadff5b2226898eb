import type { Clock } from '../clock.js';
import type { AttemptCounter, AttemptCountersRepository } from '../db/repositories/attempt-counters.js';

export interface ThrottlePolicy {
  /** Failures allowed before any waiting is imposed. */
  freeAttempts: number;
  /** The longest wait ever imposed, ms. */
  maxDelayMs: number;
  /** After this long without a failure the count starts again, ms. */
  forgetAfterMs: number;
  /**
   * One counted failure is forgiven every this many ms (a leaky bucket), so that a slow, steady
   * trickle never adds up to the limit; without it failures only go when the key falls quiet.
   */
  forgiveEveryMs?: number;
  /** Checks allowed under the key at the same time; more are refused at once. */
  maxInFlight: number;
}

/** One counter an attempt is counted under, and the rule that counter follows. */
export interface Claim {
  key: string;
  policy: ThrottlePolicy;
}

/** A check let through, and when: the time names its reservation when it is settled. */
export type Reservation = { granted: true; at: number } | { granted: false; retryAfterMs: number };

/**
 * What the brute-force guard needs of its counters. `reserve` is atomic: it looks at every claim
 * and, if none must wait, counts the attempt as a failure under all of them before it returns, so
 * two attempts sent together can never both see the count from before the other (issue 11,
 * finding 3). Kept small: `DatabaseThrottle` keeps the counters in the database for several instances.
 */
export interface Throttle {
  reserve(claims: readonly Claim[]): Promise<Reservation>;
  /**
   * A failure already known (a wrong client secret, compared before anything is counted): counted
   * and dated in the same atomic step that looks at the counters, unless the attempt must wait.
   * Reserving and then settling it in two steps would let a burst reserve past the free attempts
   * before the first failure is dated.
   */
  countFailure(claims: readonly Claim[]): Promise<Reservation>;
  /** The check reserved `at` failed: the failure reserved stays counted, and is dated now. */
  failed(claims: readonly Claim[], at: number): Promise<void>;
  /** The check reserved `at` succeeded (or could not be judged): the reserved failure is given back, and only it. */
  refund(claims: readonly Claim[], at: number): Promise<void>;
  /** How long an attempt under these claims must still wait, ms (0 = it may try now); counts nothing. */
  waitFor(claims: readonly Claim[]): Promise<number>;
  /** Whether `key` (an account and a source) was remembered, within `rememberForMs`. */
  knows(key: string): Promise<boolean>;
  /** Remembers `key`: a source that proved an account's password. */
  remember(key: string): Promise<void>;
}

/** How long a source that proved an account's password stays known to it. */
export const rememberForMs = 30 * 24 * 3600_000;

/**
 * A reservation not settled within this long was made by a process that stopped mid-check (a crash,
 * a kill, a database error while settling): its failure stays counted, but its place among the
 * checks in flight is freed, or a counter kept in the database would stay full for good. Each
 * reservation keeps its own time, so later checks under the key do not keep a dead one alive. A
 * check takes well under a second.
 */
export const staleReservationMs = 60_000;

/**
 * How long after a count the counter of its key may still matter: a counter stored then is
 * forgotten by `forgetAfterMs` (a stale reservation's failure by `staleReservationMs` more), and no
 * wait outlasts it (`stored` gives the row that time as `expiresAt`).
 */
const mattersFor = (policy: ThrottlePolicy) => Math.max(policy.maxDelayMs, policy.forgetAfterMs) + staleReservationMs;

/** The most keys a sole writer remembers having counted under (~200 bytes each), unless told otherwise. */
const defaultKnownKeys = 100_000;

export interface DatabaseThrottleOptions {
  /**
   * No other process counts attempts on this database (SQLite: one instance, as the change feed
   * says). Then this throttle knows every count as it is made, and skips reading counters that cannot
   * impose a wait (`cannotWait`). Several instances on PostgreSQL read them every time.
   */
  soleWriter?: boolean;
  /** The most keys a sole writer remembers having counted under (`defaultKnownKeys`). */
  knownKeys?: number;
}

type Counter = Omit<AttemptCounter, 'key' | 'expiresAt'>;

const fresh = (now: number): Counter => ({ count: 0, reservations: [], lastFailureAt: 0, forgivenAt: now });

/** `reservations` without one entry made at `at` (none if it went stale meanwhile). */
function without(reservations: readonly number[], at: number): number[] {
  const i = reservations.indexOf(at);
  return i < 0 ? [...reservations] : [...reservations.slice(0, i), ...reservations.slice(i + 1)];
}

/**
 * After `freeAttempts`, each attempt waits twice as long as the one before (1 s, 2 s, 4 s…), counted
 * from the latest failure. While checks reserved past the free ones are still running, their
 * failures are not dated yet: the next attempt waits for them (1 s) rather than be measured from an
 * older failure, or from none, which would let a burst through.
 */
function waitFor(counter: Counter, policy: ThrottlePolicy, now: number): number {
  const failures = Math.floor(counter.count);
  if (failures < policy.freeAttempts) return 0;
  const delay = Math.min(1000 * 2 ** (failures - policy.freeAttempts), policy.maxDelayMs);
  const wait = Math.max(0, counter.lastFailureAt + delay - now);
  return counter.reservations.length > 0 ? Math.max(wait, 1000) : wait;
}

/** The counter as it stands at `now`: forgotten after a quiet `forgetAfterMs`, forgiven as time passed, stale reservations freed. */
function current(stored: Counter | undefined, policy: ThrottlePolicy, now: number): Counter {
  if (!stored) return fresh(now);
  // Stale reservations settle as failures dated when they were made: fail closed.
  const reservations = stored.reservations.filter((at) => now - at <= staleReservationMs);
  const lastFailureAt = Math.max(stored.lastFailureAt, ...stored.reservations.filter((at) => now - at > staleReservationMs));
  if (reservations.length === 0 && now - lastFailureAt > policy.forgetAfterMs) return fresh(now);
  const forgiven = policy.forgiveEveryMs ? (now - stored.forgivenAt) / policy.forgiveEveryMs : 0;
  return { ...stored, reservations, lastFailureAt, count: Math.max(0, stored.count - forgiven), forgivenAt: now };
}

/** The counter to store under `key`, with the time after which `current` would forget it anyway (the sweeper deletes it then). */
function stored(key: string, counter: Counter, policy: ThrottlePolicy): AttemptCounter {
  const forgottenAt =
    counter.reservations.length > 0
      ? Math.max(counter.lastFailureAt, ...counter.reservations) + Math.max(policy.forgetAfterMs, staleReservationMs)
      : counter.lastFailureAt + policy.forgetAfterMs;
  return { ...counter, key, expiresAt: forgottenAt };
}

/**
 * The `Throttle` of every instance on one database: the counters are rows (migration 014), and
 * every change to them is decided under row locks in one transaction, so N instances behind a
 * round robin give no more guesses than one, and a restart forgets nothing. Only password and
 * client-secret checks reach it; token lookups never do.
 */
export class DatabaseThrottle implements Throttle {
  private readonly soleWriter: boolean;
  private readonly knownKeys: number;
  /**
   * Sole writer only: until when the counter of each key counted under (by this process, or left
   * live by an earlier one) may still matter. See `cannotWait`; at most `knownKeys` keys.
   */
  private readonly counted = new Map<string, number>();
  /** Whether the live counters earlier processes left are in `counted`; until then every counter is read. */
  private loaded = false;
  private loading: Promise<void> | undefined;
  /** Keys were forgotten (too many to keep): every counter is read until the last of them stops mattering. */
  private forgottenUntil = -Infinity;

  constructor(
    private readonly counters: AttemptCountersRepository,
    private readonly clock: Clock,
    options: DatabaseThrottleOptions = {},
  ) {
    this.soleWriter = options.soleWriter === true;
    this.knownKeys = options.knownKeys ?? defaultKnownKeys;
  }

  reserve(claims: readonly Claim[]): Promise<Reservation> {
    // Counted, but not dated: only a failure moves the back-off clock, so a right password given
    // back by `refund` leaves the wait where it was.
    return this.admit(claims, (counter, now) => ({ ...counter, count: counter.count + 1, reservations: [...counter.reservations, now] }));
  }

  countFailure(claims: readonly Claim[]): Promise<Reservation> {
    return this.admit(claims, (counter, now) => ({ ...counter, count: counter.count + 1, lastFailureAt: now }));
  }

  /**
   * Looks at the counters of `claims` under their row locks and, if no claim must wait, stores what
   * `count` makes of each: one attempt counted atomically with the decision to let it through.
   */
  private async admit(claims: readonly Claim[], count: (counter: Counter, now: number) => Counter): Promise<Reservation> {
    // A source already told to wait is refused on a plain read, so a flood of refused attempts
    // writes nothing. The read only refuses, it grants nothing: every attempt it lets on is decided
    // below under the locks; at worst it reads a count a refund has since lowered, and refuses early.
    const waiting = await this.waitFor(claims);
    if (waiting > 0) return { granted: false, retryAfterMs: waiting };
    const now = this.clock.now();
    // Noted before the change is stored, and whether or not it is: a read skipped meanwhile would miss it.
    this.noteCounted(claims, now);
    return this.counters.change<Reservation>(
      claims.map((claim) => claim.key),
      now,
      (rows) => {
        const counters = claims.map((claim, i) => current(rows[i], claim.policy, now));
        let retryAfterMs = 0;
        claims.forEach(({ policy }, i) => {
          const counter = counters[i]!;
          // A check already running under a full key: refuse now rather than queue scrypt work.
          if (counter.reservations.length >= policy.maxInFlight) retryAfterMs = Math.max(retryAfterMs, 1000);
          retryAfterMs = Math.max(retryAfterMs, waitFor(counter, policy, now));
        });
        if (retryAfterMs > 0) return { result: { granted: false, retryAfterMs }, store: [] };
        return { result: { granted: true, at: now }, store: claims.map(({ key, policy }, i) => stored(key, count(counters[i]!, now), policy)) };
      },
    );
  }

  async waitFor(claims: readonly Claim[]): Promise<number> {
    if (this.cannotWait(claims)) return 0;
    if (this.soleWriter && !this.loaded) this.loading ??= this.loadCounted();
    // The load is awaited with the read (it never rejects), so the check after this one may skip its read.
    const [read] = await Promise.all([this.counters.read(claims.map((claim) => claim.key)), this.loading]);
    const rows = new Map(read.map((row) => [row.key, row]));
    const now = this.clock.now();
    return Math.max(0, ...claims.map((claim) => waitFor(current(rows.get(claim.key), claim.policy, now), claim.policy, now)));
  }

  failed(claims: readonly Claim[], at: number): Promise<void> {
    return this.settle(claims, at, 'failed');
  }

  refund(claims: readonly Claim[], at: number): Promise<void> {
    return this.settle(claims, at, 'refunded');
  }

  knows(key: string): Promise<boolean> {
    return this.counters.isKnownSource(key, this.clock.now());
  }

  remember(key: string): Promise<void> {
    return this.counters.rememberSource(key, this.clock.now() + rememberForMs);
  }

  /**
   * Settles the reservation made `at`. One that went stale meanwhile (the check outlived
   * `staleReservationMs`) was already counted as a failure: it is not given back, fail closed.
   */
  private settle(claims: readonly Claim[], at: number, outcome: 'failed' | 'refunded'): Promise<void> {
    const now = this.clock.now();
    this.noteCounted(claims, now);
    return this.counters.change(
      claims.map((claim) => claim.key),
      now,
      (rows) => ({
        result: undefined,
        store: claims.map(({ key, policy }, i) => {
          const counter = current(rows[i], policy, now);
          const reservations = without(counter.reservations, at);
          const stillReserved = reservations.length < counter.reservations.length;
          if (!stillReserved) return stored(key, counter, policy);
          if (outcome === 'failed') return stored(key, { ...counter, reservations, lastFailureAt: now }, policy);
          return stored(key, { ...counter, reservations, count: Math.max(0, counter.count - 1) }, policy);
        }),
      }),
    );
  }

  /**
   * Whether no claim can impose a wait, known without reading the counters. A sole writer (SQLite:
   * one instance) makes every count itself, and notes its key before the count is stored; a counter
   * stops mattering at its `expiresAt` (`mattersFor`). So a key it has not counted under within that
   * time, and that no earlier process left a live counter for, cannot be waiting: the right client
   * secret of a service that never failed skips the read of its counter (5-6.5% of the server's busy
   * time under introspection and `client_credentials`, issue 12's profiles), while a source that
   * failed keeps being read, and refused while it must wait.
   */
  private cannotWait(claims: readonly Claim[]): boolean {
    if (!this.soleWriter || !this.loaded) return false;
    const now = this.clock.now();
    return now > this.forgottenUntil && claims.every(({ key }) => now > (this.counted.get(key) ?? -Infinity));
  }

  private noteCounted(claims: readonly Claim[], now: number): void {
    if (!this.soleWriter) return;
    for (const { key, policy } of claims) this.know(key, now + mattersFor(policy), now);
  }

  private know(key: string, until: number, now: number): void {
    if (this.counted.size >= this.knownKeys && !this.counted.has(key)) {
      for (const [known, knownUntil] of this.counted) if (knownUntil < now) this.counted.delete(known);
      if (this.counted.size >= this.knownKeys) {
        // Forgetting one key could let a right secret past its wait: forget them all, and read every counter while any of them may matter.
        for (const knownUntil of this.counted.values()) this.forgottenUntil = Math.max(this.forgottenUntil, knownUntil);
        this.counted.clear();
      }
    }
    this.counted.set(key, Math.max(this.counted.get(key) ?? -Infinity, until));
  }

  /** The live counters earlier processes left (a restart forgets nothing). Counts made meanwhile are noted as they start. */
  private async loadCounted(): Promise<void> {
    try {
      const now = this.clock.now();
      // Latest first: when there are too many to keep, the first says how long to read every counter.
      const live = await this.counters.liveByExpiry(now, this.knownKeys);
      if (live.length >= this.knownKeys) this.forgottenUntil = Math.max(this.forgottenUntil, live[0]!.expiresAt);
      else for (const { key, expiresAt } of live) this.know(key, expiresAt, now);
      this.loaded = true;
    } catch {
      // Every counter is still read; the next check tries again.
      this.loading = undefined;
    }
  }
}
