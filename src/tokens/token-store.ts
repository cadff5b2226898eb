import { LRUCache } from 'lru-cache';
import type { Clock } from '../clock.js';
import type { TokenRecord, TokenSelector, TokensRepository } from '../db/repositories/tokens.js';
import { sha256 } from '../secrets/random.js';

export type TokenLookup =
  | { status: 'active'; token: TokenRecord; expiresAt: number | null }
  | { status: 'expired'; token: TokenRecord }
  | { status: 'unknown' };

export interface TokenStoreOptions {
  cacheTtlMs: number;
  cacheSize: number;
  writeBehindMs: number;
}

/**
 * The one store of every credential value the server issues. The hot path is: SHA-256 of the
 * value → in-process LRU → one indexed lookup on a miss. Using a token writes nothing at once:
 * last-used times (which drive sliding expiry) collect in memory and are written behind, at most
 * once per `writeBehindMs`, and on shutdown.
 *
 * A revocation writes the row and drops the cache entries in the same call, so the very next
 * request fails. (Several instances would also need a broadcast; until then the cache TTL bounds
 * how long another instance may still accept a revoked token.)
 */
export class TokenStore {
  private readonly cache: LRUCache<string, TokenRecord>;
  /** Last-used times not yet written, by token id. */
  private readonly pendingTouches = new Map<number, { at: number; token: TokenRecord }>();
  private timer: NodeJS.Timeout | undefined;
  /**
   * Counts the changes this store made to token rows (revocations, consumptions, dropped entries).
   * A lookup that read a row while one happened does not cache what it read: with several
   * database connections the read may predate the revocation that just emptied the cache.
   */
  private changes = 0;

  constructor(
    private readonly repository: TokensRepository,
    private readonly clock: Clock,
    private readonly options: TokenStoreOptions,
  ) {
    this.cache = new LRUCache({ max: options.cacheSize, ttl: options.cacheTtlMs, ttlAutopurge: false });
  }

  /**
   * Stores a new token for `value` (the caller made it) and returns the stored record. `via` is a
   * transaction's repository; a token issued in a transaction is not cached, since the
   * transaction may still roll back.
   */
  async issue(value: string, fields: Omit<TokenRecord, 'id' | 'hash' | 'createdAt' | 'lastUsedAt' | 'revokedAt'>, via?: TokensRepository): Promise<TokenRecord> {
    const now = this.clock.now();
    const record = await (via ?? this.repository).insert({ ...fields, hash: sha256(value), createdAt: now, lastUsedAt: now, revokedAt: null });
    if (!via) this.cache.set(record.hash, record);
    return record;
  }

  /**
   * The stored record of a value, whatever its state, read from the database and not the cache:
   * one-time tokens (codes, refresh tokens) must be seen as they are now, consumed ones included,
   * so that a replay can be told from a value that was never issued.
   */
  findByValue(value: string, via?: TokensRepository): Promise<TokenRecord | undefined> {
    return (via ?? this.repository).findByHash(sha256(value));
  }

  /** Uses up a one-time token (see `TokensRepository.consume`); false when another request got it first. */
  async consume(token: TokenRecord, metadata: Record<string, unknown>, via?: TokensRepository): Promise<boolean> {
    const consumed = await (via ?? this.repository).consume(token.id, this.clock.now(), metadata);
    this.changes++;
    this.cache.delete(token.hash);
    return consumed;
  }

  /** Finds a token by its value and says whether it is usable now. Writes nothing. */
  async lookup(value: string): Promise<TokenLookup> {
    const hash = sha256(value);
    let token = this.cache.get(hash);
    if (!token) {
      const changesBefore = this.changes;
      token = await this.repository.findByHash(hash);
      if (!token) return { status: 'unknown' };
      if (this.changes === changesBefore) this.cache.set(hash, token);
    }
    if (token.revokedAt !== null) return { status: 'unknown' };
    const expiresAt = this.expiryOf(token);
    if (expiresAt !== null && this.clock.now() >= expiresAt) return { status: 'expired', token };
    return { status: 'active', token, expiresAt };
  }

  /** When the token stops working, counting its sliding expiry from its latest use. */
  expiryOf(token: TokenRecord): number | null {
    const lastUsed = this.lastUsedAt(token);
    const idleExpiry = token.idleTtlMs === null ? null : lastUsed + token.idleTtlMs;
    if (token.expiresAt === null) return idleExpiry;
    if (idleExpiry === null) return token.expiresAt;
    return Math.min(token.expiresAt, idleExpiry);
  }

  /** Records a use (for sliding expiry and last-used times); written behind. Returns the new expiry. */
  touch(token: TokenRecord): number | null {
    this.pendingTouches.set(token.id, { at: this.clock.now(), token });
    this.scheduleFlush();
    return this.expiryOf(token);
  }

  async revokeOne(token: TokenRecord): Promise<void> {
    await this.revokeWhere({ id: token.id });
  }

  /** Revokes every live token that matches; effective on the very next request. Returns how many. */
  async revokeWhere(selector: TokenSelector | { id: number }): Promise<number> {
    const hashes = await this.repository.revoke(selector, this.clock.now());
    this.changes++;
    for (const hash of hashes) this.cache.delete(hash);
    return hashes.length;
  }

  /** Drops a cached record after its row changed (a session upgraded to a user, say). */
  forget(token: TokenRecord): void {
    this.changes++;
    this.cache.delete(token.hash);
  }

  list(selector: TokenSelector): Promise<TokenRecord[]> {
    return this.repository.list(selector);
  }

  /** The last-used time of a token, including a use not yet written. */
  lastUsedAt(token: TokenRecord): number {
    return Math.max(token.lastUsedAt, this.pendingTouches.get(token.id)?.at ?? 0);
  }

  private scheduleFlush(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush().catch(() => {
        // A failed write-behind only loses last-used precision; the next flush retries newer values.
      });
    }, this.options.writeBehindMs);
    this.timer.unref();
  }

  /** Writes pending last-used times now (called on shutdown, and by the timer). */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (!this.pendingTouches.size) return;
    const batch = new Map(this.pendingTouches);
    this.pendingTouches.clear();
    await this.repository.touch(new Map([...batch].map(([id, { at }]) => [id, at])));
    for (const { at, token } of batch.values()) if (token.lastUsedAt < at) token.lastUsedAt = at;
  }
}
