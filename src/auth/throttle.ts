import { LRUCache } from 'lru-cache';
import type { Clock } from '../clock.js';

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

export type Reservation = { granted: true } | { granted: false; retryAfterMs: number };

/**
 * What the brute-force guard needs of its counters. `reserve` is atomic: it looks at every claim
 * and, if none must wait, counts the attempt as a failure under all of them before it returns, so
 * two attempts sent together can never both see the count from before the other (issue 11,
 * finding 3). Kept small so that a shared store (one row per key, updated in one statement) can
 * replace the in-memory one for several instances.
 */
export interface Throttle {
  reserve(claims: readonly Claim[]): Promise<Reservation>;
  /** The check failed: the failure reserved stays counted. */
  failed(claims: readonly Claim[]): Promise<void>;
  /** The check succeeded (or could not be judged): the reserved failure is given back, and only it. */
  refund(claims: readonly Claim[]): Promise<void>;
  /** How long an attempt under these claims must still wait, ms (0 = it may try now); counts nothing. */
  waitFor(claims: readonly Claim[]): Promise<number>;
  /** Whether `key` (an account and a source) was remembered, within `rememberForMs`. */
  knows(key: string): Promise<boolean>;
  /** Remembers `key`: a source that proved an account's password. */
  remember(key: string): Promise<void>;
}

/** How long a source that proved an account's password stays known to it. */
export const rememberForMs = 30 * 24 * 3600_000;

interface Counter {
  /** Failures counted, the ones reserved by checks still running included; fractional while forgiven. */
  count: number;
  inFlight: number;
  lastFailureAt: number;
  /** When `count` last had its forgiveness applied. */
  forgivenAt: number;
}

/** After `freeAttempts`, each attempt waits twice as long as the one before (1 s, 2 s, 4 s…), counted from the latest failure. */
function waitFor(counter: Counter, policy: ThrottlePolicy, now: number): number {
  const failures = Math.floor(counter.count);
  if (failures < policy.freeAttempts) return 0;
  const delay = Math.min(1000 * 2 ** (failures - policy.freeAttempts), policy.maxDelayMs);
  return Math.max(0, counter.lastFailureAt + delay - now);
}

/**
 * The one-instance `Throttle`: counters in process memory, bounded (least recently used go first).
 * Every method does all of its work before its first `await`, which is what makes `reserve` atomic
 * within the process.
 */
export class MemoryThrottle implements Throttle {
  private readonly counters = new LRUCache<string, Counter>({ max: 200_000 });
  private readonly known = new LRUCache<string, number>({ max: 200_000 });

  constructor(private readonly clock: Clock) {}

  reserve(claims: readonly Claim[]): Promise<Reservation> {
    const now = this.clock.now();
    const counters = claims.map((claim) => this.current(claim, now));
    let retryAfterMs = 0;
    claims.forEach(({ policy }, i) => {
      const counter = counters[i]!;
      // A check already running under a full key: refuse now rather than queue scrypt work, and
      // rather than let a burst through before its failures are known.
      if (counter.inFlight >= policy.maxInFlight) retryAfterMs = Math.max(retryAfterMs, 1000);
      retryAfterMs = Math.max(retryAfterMs, waitFor(counter, policy, now));
    });
    if (retryAfterMs > 0) return Promise.resolve({ granted: false, retryAfterMs });
    claims.forEach(({ key }, i) => {
      const counter = counters[i]!;
      // Counted, but not dated: only a failure moves the back-off clock, so a right password given
      // back by `refund` leaves the wait where it was.
      this.counters.set(key, { ...counter, count: counter.count + 1, inFlight: counter.inFlight + 1 });
    });
    return Promise.resolve({ granted: true });
  }

  waitFor(claims: readonly Claim[]): Promise<number> {
    const now = this.clock.now();
    return Promise.resolve(Math.max(0, ...claims.map((claim) => waitFor(this.current(claim, now), claim.policy, now))));
  }

  failed(claims: readonly Claim[]): Promise<void> {
    return this.settle(claims, 0);
  }

  refund(claims: readonly Claim[]): Promise<void> {
    return this.settle(claims, 1);
  }

  knows(key: string): Promise<boolean> {
    const at = this.known.get(key);
    return Promise.resolve(at !== undefined && this.clock.now() - at < rememberForMs);
  }

  remember(key: string): Promise<void> {
    this.known.set(key, this.clock.now());
    return Promise.resolve();
  }

  private settle(claims: readonly Claim[], refunded: number): Promise<void> {
    const now = this.clock.now();
    for (const claim of claims) {
      const counter = this.current(claim, now);
      this.counters.set(claim.key, {
        ...counter, count: Math.max(0, counter.count - refunded), inFlight: Math.max(0, counter.inFlight - 1), ...(refunded === 0 && { lastFailureAt: now }),
      });
    }
    return Promise.resolve();
  }

  private current({ key, policy }: Claim, now: number): Counter {
    const counter = this.counters.get(key);
    if (!counter || (counter.inFlight === 0 && now - counter.lastFailureAt > policy.forgetAfterMs)) {
      return { count: 0, inFlight: 0, lastFailureAt: 0, forgivenAt: now };
    }
    const forgiven = policy.forgiveEveryMs ? (now - counter.forgivenAt) / policy.forgiveEveryMs : 0;
    return { ...counter, count: Math.max(0, counter.count - forgiven), forgivenAt: now };
  }
}
