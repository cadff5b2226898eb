import crypto from 'node:crypto';
import type { Knex } from 'knex';
import pg from 'pg';

/**
 * What changed, as the in-process caches of every instance need to hear it:
 * - `tokens`: these token hashes were revoked, consumed or rebound;
 * - `allTokens`: too many to name (a large revocation), drop every cached token;
 * - `permissions`: something that grants rights in this application changed;
 * - `tenants`: an organization or application row changed;
 * - `everything`: never sent; said locally when this instance may have missed notices (the channel
 *   was down, or is down still), so every cache drops all it holds.
 */
export type Change =
  | { kind: 'tokens'; hashes: string[] }
  | { kind: 'allTokens' }
  | { kind: 'permissions'; applicationId: number }
  | { kind: 'tenants' }
  | { kind: 'everything' };

export type ChangeListener = (change: Change) => void;

/**
 * Tells the other instances on the same database what changed, and this one what they changed.
 * The publisher drops its own cache entries itself, at once; `publish` is for the others.
 */
export interface ChangeFeed {
  /** Sends a change to every other instance; resolves once PostgreSQL has it. Never throws: a lost notice is logged. */
  publish(change: Exclude<Change, { kind: 'everything' }>): Promise<void>;
  /** The one place the caches subscribe: `listener` hears every change another instance made, and `everything` when notices may have been missed. */
  subscribe(listener: ChangeListener): void;
  /** Whether notices are arriving (always true for the one-instance SQLite database, which has no others). */
  readonly connected: boolean;
  close(): Promise<void>;
}

export interface ChangeFeedOptions {
  /**
   * The trust bound: while the channel is down every cache is emptied this often, so no entry is
   * trusted longer; and a heartbeat on the channel that takes longer than this counts as a lost channel.
   */
  trustWhileDownMs: number;
  /** Told of a lost channel, a failed notice and a reconnect. */
  warn(fields: object, message: string): void;
  info(fields: object, message: string): void;
}

/** The one channel every instance listens on. */
export const changeChannel = 'tessera_changes';

/** pg refuses a NOTIFY payload of 8000 bytes or more; a hash is 64 hex characters and 3 of JSON. */
const hashesPerNotice = 100;
/** Past this many hashes one "drop every token" is cheaper than the notices that name them. */
const hashesBeforeAllTokens = 1000;

/** SQLite is one instance: there is nobody to tell and nothing to hear. */
export const singleInstanceFeed: ChangeFeed = {
  publish: async () => {},
  subscribe: () => {},
  connected: true,
  close: async () => {},
};

/** A feed for `url`: PostgreSQL `LISTEN`/`NOTIFY`, or none for SQLite. */
export function openChangeFeed(url: string, db: Knex, options: ChangeFeedOptions): ChangeFeed {
  return /^postgres(ql)?:\/\//.test(url) ? new PostgresChangeFeed(url, db, options) : singleInstanceFeed;
}

/** What goes on the wire: the sender, so an instance skips its own notices, and the change. */
interface Notice {
  from: string;
  change: Change;
}

/**
 * `LISTEN` on a dedicated connection (not one of the pool's: a pooled connection is handed to
 * queries and would drop its LISTEN when released), `NOTIFY` through the pool right after the
 * change committed. Fails safe: until the first `LISTEN` succeeds, and whenever the connection is
 * lost (an error, its end, or a heartbeat not answered within `trustWhileDownMs`), the caches are
 * emptied every `trustWhileDownMs`; once `LISTEN` works again they are emptied once more (notices
 * sent meanwhile are lost) and trusted again. The hot path never sees any of this: caches only
 * hear `everything`.
 */
class PostgresChangeFeed implements ChangeFeed {
  private readonly id = crypto.randomUUID();
  private readonly listeners: ChangeListener[] = [];
  private client: pg.Client | undefined;
  private loseClient: ((error?: unknown) => void) | undefined;
  private distrust: NodeJS.Timeout | undefined;
  private retry: NodeJS.Timeout | undefined;
  private readonly heartbeat: NodeJS.Timeout;
  private closed = false;

  constructor(
    private readonly url: string,
    private readonly db: Knex,
    private readonly options: ChangeFeedOptions,
  ) {
    this.startDistrust();
    this.heartbeat = setInterval(() => this.beat(), options.trustWhileDownMs);
    this.heartbeat.unref();
    this.attempt();
  }

  get connected(): boolean {
    return this.client !== undefined;
  }

  subscribe(listener: ChangeListener): void {
    this.listeners.push(listener);
  }

  async publish(change: Exclude<Change, { kind: 'everything' }>): Promise<void> {
    const changes: Change[] =
      change.kind !== 'tokens'
        ? [change]
        : change.hashes.length > hashesBeforeAllTokens
          ? [{ kind: 'allTokens' }]
          : chunks(change.hashes, hashesPerNotice).map((hashes) => ({ kind: 'tokens', hashes }));
    try {
      for (const each of changes) {
        const notice: Notice = { from: this.id, change: each };
        await this.db.raw('select pg_notify(?, ?)', [changeChannel, JSON.stringify(notice)]);
      }
    } catch (error) {
      // The change itself committed. If PostgreSQL cannot take the notice, the other instances'
      // channels are most likely down too, and they trust nothing beyond `trustWhileDownMs`.
      this.options.warn({ err: error, change: change.kind }, 'could not tell the other instances of a change');
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.heartbeat);
    this.stopDistrust();
    clearTimeout(this.retry);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => {});
  }

  private emit(change: Change): void {
    for (const listener of this.listeners) listener(change);
  }

  private received(payload: string | undefined): void {
    let notice: Notice;
    try {
      notice = JSON.parse(payload ?? '') as Notice;
    } catch {
      // Not ours to read (someone else NOTIFYing on the channel): assume the worst.
      return this.emit({ kind: 'everything' });
    }
    if (notice.from !== this.id) this.emit(notice.change);
  }

  /** One connection attempt; a failure or a later loss schedules the next one. */
  private attempt(): void {
    if (this.closed) return;
    // Named with the process id, so an operator (or a test) can tell each instance's channel in pg_stat_activity.
    const client = new pg.Client({ connectionString: this.url, keepAlive: true, application_name: `tessera changes ${process.pid}` });
    let lost = false;
    const lose = (error?: unknown) => {
      if (lost) return;
      lost = true;
      const wasConnected = this.client === client;
      if (wasConnected) {
        this.client = undefined;
        this.loseClient = undefined;
      }
      void client.end().catch(() => {});
      if (this.closed) return;
      if (wasConnected) this.options.warn({ err: error }, 'lost the change channel; caches are trusted for 1 s at most until it is back');
      this.emit({ kind: 'everything' });
      this.startDistrust();
      this.retry = setTimeout(() => this.attempt(), Math.min(this.options.trustWhileDownMs, 500));
      this.retry.unref();
    };
    client.on('error', lose);
    client.on('end', () => lose());
    client.on('notification', (message) => {
      if (message.channel === changeChannel) this.received(message.payload);
    });
    client
      .connect()
      .then(() => client.query(`listen ${changeChannel}`))
      .then(() => {
        if (lost) return;
        if (this.closed) return void client.end().catch(() => {});
        this.client = client;
        this.loseClient = lose;
        this.stopDistrust();
        // Notices sent before this LISTEN are lost: what was cached meanwhile goes.
        this.emit({ kind: 'everything' });
        this.options.info({}, 'listening for changes made by other instances');
      }, lose);
  }

  /**
   * A connection that died without a word (a partition, a frozen peer) raises no event; one that
   * does not answer within the trust bound is treated as lost.
   */
  private beat(): void {
    const client = this.client;
    const lose = this.loseClient;
    if (!client || !lose) return;
    const late = setTimeout(() => lose(new Error('the change channel did not answer its heartbeat')), this.options.trustWhileDownMs);
    late.unref();
    client.query('select 1').then(
      () => clearTimeout(late),
      (error: unknown) => {
        clearTimeout(late);
        lose(error);
      },
    );
  }

  private startDistrust(): void {
    if (this.distrust || this.closed) return;
    this.distrust = setInterval(() => this.emit({ kind: 'everything' }), this.options.trustWhileDownMs);
    this.distrust.unref();
  }

  private stopDistrust(): void {
    clearInterval(this.distrust);
    this.distrust = undefined;
  }
}

function chunks<T>(items: T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}
