import { LRUCache } from 'lru-cache';
import type { Clock } from '../clock.js';
import { singleInstanceFeed, type ChangeFeed } from '../db/change-feed.js';
import type { TokenRow, TokensRepository } from '../db/repositories/tokens.js';
import { noMetrics, type CacheMeter, type Metrics } from '../metrics.js';
import { sha256 } from '../secrets/digest.js';
import type { Ceiling, PrincipalKind, SubjectKind } from './fields.js';
import { tokenFromRow, tokenKinds, tokenOfKind, type IssueFields, type MetadataOf, type TokenKind, type TokenRecord } from './kinds.js';

export type TokenLookup =
  | { status: 'active'; token: TokenRecord; expiresAt: number | null }
  | { status: 'expired'; token: TokenRecord }
  | { status: 'unknown' };

/** Whether a stored token works now. A used one-time token (a code, a rotated refresh token) is revoked. */
export type Liveness = 'live' | 'expired' | 'revoked';

/** A new token: its value, shown once and never stored, and its record. */
export interface IssuedToken<K extends TokenKind> {
  value: string;
  token: TokenRecord<K>;
}

/** Which tokens a revocation or a listing means. */
/** Which live tokens; `exceptId` spares one of them (the token that sent a password change). */
export type TokenSelector = Partial<{ subjectKind: SubjectKind; subjectId: number; familyId: string; applicationId: number; kind: TokenKind; clientId: string; exceptId: number }>;

/** Whom a row stands for once its subject changed (a sign-in on a session or an interaction). */
export interface Rebinding<K extends TokenKind> {
  principalKind: PrincipalKind;
  subjectId: number | null;
  ceiling: Ceiling;
  metadata: MetadataOf<K>;
}

export interface TokenStoreOptions {
  cacheTtlMs: number;
  cacheSize: number;
  writeBehindMs: number;
}

let recordBehind: (reference: TokenReference) => TokenRecord;

/**
 * What a principal keeps of the token that authenticated it: the token's id and the client it was
 * issued to. The stored record stays behind it for the store alone, which records a use with it
 * (a sliding expiry, a last-used time) without looking the token up again; a handler that needs the
 * record asks the store (`TokenStore.recordOf`).
 */
export class TokenReference {
  readonly id: number;
  readonly clientId: string | null;
  readonly #token: TokenRecord;

  constructor(token: TokenRecord) {
    this.id = token.id;
    this.clientId = token.clientId;
    this.#token = token;
  }

  static {
    recordBehind = (reference) => reference.#token;
  }
}

/** What a transaction may do with tokens (`Deps.transaction` hands it out, bound to the transaction). */
export interface TransactionTokens {
  issue<K extends TokenKind>(kind: K, fields: IssueFields<K>): Promise<IssuedToken<K>>;
  findByValue(value: string): Promise<TokenRecord | undefined>;
  findById(id: number): Promise<TokenRecord | undefined>;
  consume<K extends TokenKind>(token: TokenRecord<K>, metadata?: MetadataOf<K>): Promise<boolean>;
  liveness(token: TokenRecord): Liveness;
}

/**
 * The one store of every credential value the server issues, and the only writer of token rows.
 * The hot path is: SHA-256 of the value → in-process LRU → one indexed lookup on a miss. Using a
 * token writes nothing at once: last-used times (which drive sliding expiry) collect in memory and
 * are written behind, at most once per `writeBehindMs`, and on shutdown.
 *
 * A revocation writes the row and drops the cache entries in the same call, so the very next
 * request fails; then it tells the other instances (`ChangeFeed.publish`), which drop theirs
 * (`forget`) within the second. A change inside a transaction is told once it committed
 * (`Deps.transaction` calls `announce`), since another instance that reread the row before the
 * commit would keep the old one.
 */
export class TokenStore implements TransactionTokens {
  private readonly cache: LRUCache<string, TokenRecord>;
  /** Last-used times not yet written, by token id. */
  private pendingTouches = new Map<number, { at: number; token: TokenRecord }>();
  /** The last-used times a flush is writing now (it takes many turns of the event loop), by token id. */
  private writingTouches: Map<number, { at: number; token: TokenRecord }> | undefined;
  /** The latest flush, settled or not: a flush starts when the one before it has ended, so shutdown's waits for the timer's. */
  private flushed: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  /**
   * Counts the changes this store made to token rows (revocations, consumptions, dropped entries).
   * A lookup that read a row while one happened does not cache what it read: with several
   * database connections the read may predate the revocation that just emptied the cache.
   */
  private changes = 0;
  private readonly cacheMeter: CacheMeter;

  constructor(
    private readonly repository: TokensRepository,
    private readonly clock: Clock,
    private readonly options: TokenStoreOptions,
    private readonly feed: Pick<ChangeFeed, 'publish'> = singleInstanceFeed,
    private readonly metrics: Pick<Metrics, 'tokenIssued' | 'tokenRevoked' | 'cache'> = noMetrics,
  ) {
    this.cache = new LRUCache({ max: options.cacheSize, ttl: options.cacheTtlMs, ttlAutopurge: false });
    this.cacheMeter = metrics.cache('token');
  }

  /** Issues a token of a kind: makes its value, fills what the kind fixes, computes its expiry, stores it. */
  async issue<K extends TokenKind>(kind: K, fields: IssueFields<K>): Promise<IssuedToken<K>> {
    return this.insert(this.repository, kind, fields, (token) => this.cache.set(token.hash, token));
  }

  /**
   * This store inside a transaction: its reads and writes go through `repository`, the
   * transaction's. What it issues is not cached, since the transaction may still roll back; what
   * it consumes leaves the cache at once.
   */
  inTransaction(repository: TokensRepository, changedHashes: string[]): TransactionTokens {
    return {
      issue: (kind, fields) => this.insert(repository, kind, fields),
      findByValue: (value) => this.findIn(repository, value),
      findById: async (id) => this.typed(await repository.findById(id)),
      consume: async (token, metadata) => {
        changedHashes.push(token.hash);
        return this.consumeIn(repository, token, metadata);
      },
      liveness: (token) => this.liveness(token),
    };
  }

  /** Stores a new token; `cache` (outside a transaction) keeps it for the lookups to come. */
  private async insert<K extends TokenKind>(
    repository: TokensRepository,
    kind: K,
    fields: IssueFields<K>,
    cache?: (token: TokenRecord) => void,
  ): Promise<IssuedToken<K>> {
    const spec = tokenKinds[kind];
    const value = spec.newValue();
    const now = this.clock.now();
    const { lifetimeMs, metadata = {} } = fields;
    // Added to the completed fields, not spread with them (see `completed` in kinds.ts).
    const row = await repository.insert(
      Object.assign(spec.fields(fields), {
        kind,
        metadata,
        hash: sha256(value),
        createdAt: now,
        expiresAt: lifetimeMs === null ? null : now + lifetimeMs,
        lastUsedAt: now,
        revokedAt: null,
      }),
    );
    const token = tokenOfKind(kind, row);
    const cached = tokenFromRow(row);
    if (!token || !cached) throw new Error(`a ${kind} token was stored in a shape the registry refuses`);
    cache?.(cached);
    // Counted when stored; one issued inside a transaction that then rolls back is counted all the same.
    this.metrics.tokenIssued(kind);
    return { value, token };
  }

  /** A row as the registry types it; a malformed one is no token at all. */
  private typed(row: TokenRow | undefined): TokenRecord | undefined {
    return row && tokenFromRow(row);
  }

  /**
   * The stored record of a value, whatever its state, read from the database and not the cache:
   * one-time tokens (codes, refresh tokens) must be seen as they are now, consumed ones included,
   * so that a replay can be told from a value that was never issued.
   */
  findByValue(value: string): Promise<TokenRecord | undefined> {
    return this.findIn(this.repository, value);
  }

  private async findIn(repository: TokensRepository, value: string): Promise<TokenRecord | undefined> {
    return this.typed(await repository.findByHash(sha256(value)));
  }

  /** A stored record by id, whatever its state, from the database. */
  async findById(id: number): Promise<TokenRecord | undefined> {
    return this.typed(await this.repository.findById(id));
  }

  /**
   * Uses up a one-time token, writing `metadata` with it (by default what it holds); false when
   * another request got it first (see `TokensRepository.consume`).
   */
  async consume<K extends TokenKind>(token: TokenRecord<K>, metadata?: MetadataOf<K>): Promise<boolean> {
    const consumed = await this.consumeIn(this.repository, token, metadata);
    await this.announce([token.hash]);
    return consumed;
  }

  private async consumeIn<K extends TokenKind>(repository: TokensRepository, token: TokenRecord<K>, metadata: MetadataOf<K> = token.metadata): Promise<boolean> {
    const consumed = await repository.consume(token.id, this.clock.now(), metadata);
    this.dropCached(token);
    return consumed;
  }

  /**
   * Rewrites whom a live token stands for, and its metadata; the cached record, which names the
   * previous subject, goes. `ifUnchanged` (a sign-in): only if the row still stands for whom `token`
   * (as this request read it) says; a sign-out passes false, whoever signed in meanwhile goes too.
   * False when another request changed or revoked it first: nothing was written.
   */
  async rebind<K extends TokenKind>(token: TokenRecord<K>, change: Rebinding<K>, ifUnchanged = true): Promise<boolean> {
    const expected = ifUnchanged ? { principalKind: token.principalKind, subjectId: token.subjectId } : undefined;
    const rebound = await this.repository.rebind(token.id, expected, change);
    this.dropCached(token);
    await this.announce([token.hash]);
    return rebound;
  }

  /** Finds a token by its value and says whether it is usable now. Writes nothing. */
  async lookup(value: string): Promise<TokenLookup> {
    const hash = sha256(value);
    const cached = this.cache.get(hash);
    if (cached) this.cacheMeter.hit();
    else this.cacheMeter.miss();
    let token = cached ?? (await this.read(hash));
    if (!token) return { status: 'unknown' };
    let expiresAt = this.expiryOf(token);
    let liveness = this.liveness(token, expiresAt);
    if (liveness === 'expired' && cached && token.idleTtlMs !== null && (token.expiresAt === null || this.clock.now() < token.expiresAt)) {
      // Idle by this instance's copy, but other instances write their uses behind to the row (the
      // latest wins): a session used only elsewhere since this copy was read is alive. Only a token
      // that looks idle pays the read, as an unknown one does.
      this.cache.delete(hash);
      token = await this.read(hash);
      if (!token) return { status: 'unknown' };
      expiresAt = this.expiryOf(token);
      liveness = this.liveness(token, expiresAt);
    }
    if (liveness === 'revoked') return { status: 'unknown' };
    if (liveness === 'expired') return { status: 'expired', token };
    return { status: 'active', token, expiresAt };
  }

  /** The row of a token hash, from the database, cached unless this store changed a token meanwhile. */
  private async read(hash: string): Promise<TokenRecord | undefined> {
    const changesBefore = this.changes;
    const token = this.typed(await this.repository.findByHash(hash));
    if (token && this.changes === changesBefore) this.cache.set(hash, token);
    return token;
  }

  /**
   * The record behind a reference this store's lookup stood behind, found again by the value the
   * request presented (a cache hit: the security step just looked it up); undefined once it was
   * revoked.
   */
  async recordOf(reference: TokenReference, value: string): Promise<TokenRecord | undefined> {
    const found = await this.lookup(value);
    return found.status !== 'unknown' && found.token.id === reference.id ? found.token : undefined;
  }

  /** The one rule of whether a stored token works now (`expiresAt`: its `expiryOf`, when the caller has it already). */
  liveness(token: TokenRecord, expiresAt = this.expiryOf(token)): Liveness {
    if (token.revokedAt !== null) return 'revoked';
    return expiresAt !== null && this.clock.now() >= expiresAt ? 'expired' : 'live';
  }

  /** When the token stops working, counting its sliding expiry from its latest use. */
  expiryOf(token: TokenRecord): number | null {
    const lastUsed = this.lastUsedAt(token);
    const idleExpiry = token.idleTtlMs === null ? null : lastUsed + token.idleTtlMs;
    if (token.expiresAt === null) return idleExpiry;
    if (idleExpiry === null) return token.expiresAt;
    return Math.min(token.expiresAt, idleExpiry);
  }

  /** Records a use of the token behind a credential (for sliding expiry and last-used times); written behind. Returns the new expiry. */
  touch(reference: TokenReference): number | null {
    const token = recordBehind(reference);
    this.pendingTouches.set(token.id, { at: this.clock.now(), token });
    this.scheduleFlush();
    return this.expiryOf(token);
  }

  async revokeOne(token: { id: number }): Promise<void> {
    await this.revokeWhere({ id: token.id });
  }

  /** Revokes every live token that matches; effective on the very next request. Returns how many. */
  async revokeWhere(selector: TokenSelector | { id: number }): Promise<number> {
    const revoked = await this.repository.revoke(selector, this.clock.now());
    const hashes = revoked.map((token) => token.hash);
    this.changes++;
    for (const hash of hashes) this.cache.delete(hash);
    for (const token of revoked) this.metrics.tokenRevoked(token.kind);
    await this.announce(hashes);
    return hashes.length;
  }

  /**
   * Tells the other instances that these tokens changed (once the change committed). Dropped here
   * again too: within a transaction a lookup on another connection may have cached the row as it
   * was before the commit.
   */
  async announce(hashes: string[]): Promise<void> {
    if (!hashes.length) return;
    this.forget(hashes);
    await this.feed.publish({ kind: 'tokens', hashes });
  }

  /** Another instance changed these tokens (or `'all'`: too many to name, or notices may have been missed). */
  forget(hashes: string[] | 'all'): void {
    this.changes++;
    if (hashes === 'all') this.cache.clear();
    else for (const hash of hashes) this.cache.delete(hash);
  }

  private dropCached(token: { hash: string }): void {
    this.changes++;
    this.cache.delete(token.hash);
  }

  /** Live tokens that match, oldest first. */
  async list(selector: TokenSelector): Promise<TokenRecord[]> {
    return (await this.repository.list(selector)).flatMap((row) => this.typed(row) ?? []);
  }

  /** Deletes up to `limit` tokens that can no longer matter (see `TokensRepository.purgeDead`); nothing cached can be one of them. */
  purgeDead(now: number, graceMs: number, limit: number): Promise<number> {
    return this.repository.purgeDead(now, graceMs, limit);
  }

  /** The last-used time of a token, including a use not yet written. */
  lastUsedAt(token: TokenRecord): number {
    return Math.max(token.lastUsedAt, this.pendingTouches.get(token.id)?.at ?? 0, this.writingTouches?.get(token.id)?.at ?? 0);
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

  /** Writes pending last-used times now (called on shutdown, and by the timer); resolves once they and any flush before them are written. */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    // The flush before this one reported its own failure to its caller.
    const flushed = this.flushed.catch(() => undefined).then(() => this.writeBehind());
    this.flushed = flushed;
    return flushed;
  }

  private async writeBehind(): Promise<void> {
    if (!this.pendingTouches.size) return;
    const batch = this.pendingTouches;
    this.pendingTouches = new Map();
    // Still counted by `lastUsedAt` while it is written: a sliding expiry is never judged without it.
    this.writingTouches = batch;
    try {
      const lastUsed = new Map<number, number>();
      for (const [id, { at }] of batch) lastUsed.set(id, at);
      await this.repository.touch(lastUsed, userRequests(batch.values()));
      for (const { at, token } of batch.values()) if (token.lastUsedAt < at) token.lastUsedAt = at;
    } finally {
      this.writingTouches = undefined;
    }
  }
}

/**
 * The latest use, by application user, of the tokens in a batch: QuickBlox's `last_request_at`,
 * written behind with the tokens themselves rather than once per request.
 */
function userRequests(batch: Iterable<{ at: number; token: TokenRecord }>): Map<number, number> {
  const latest = new Map<number, number>();
  for (const { at, token } of batch) {
    if (token.subjectKind !== 'user' || token.subjectId === null) continue;
    latest.set(token.subjectId, Math.max(at, latest.get(token.subjectId) ?? 0));
  }
  return latest;
}
