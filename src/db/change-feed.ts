import crypto from 'node:crypto';
import type { Knex } from 'knex';
import pg from 'pg';

/**
 * What changed, as the in-process caches of every instance need to hear it:
 * - `tokens`: these token hashes were revoked, consumed or rebound;
 * - `allTokens`: too many to name (a large revocation), drop every cached token;
 * - `permissions`: something that grants rights in this application changed;
 * - `tenants`: an organization, application or OAuth client row changed;
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
  /**
   * Sends a change to every other instance; resolves once PostgreSQL has it, or once it failed and
   * was left to retry in the background. Never throws.
   */
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
  /**
   * How long a notice that could not be sent is retried (every 200 ms): the longest any cache keeps
   * an entry without a notice, after which every entry it concerns has expired anyway.
   */
  retryForMs: number;
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
 * queries and would drop its LISTEN when released), `NOTIFY` right after the change committed, on
 * that same connection while it is up (a busy or exhausted pool does not hold a notice back),
 * through the pool otherwise; a notice that fails is retried until it is sent or `retryForMs` has
 * passed, since the other instances, their channels up, would otherwise trust what they cached. Fails safe: until the first `LISTEN` succeeds, and whenever the connection is
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
  /** Notices not sent yet, and when to stop trying each. */
  private unsent: { payloads: string[]; until: number }[] = [];
  private resend: NodeJS.Timeout | undefined;
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
    const payloads = changes.map((each) => JSON.stringify({ from: this.id, change: each } satisfies Notice));
    const error = await this.send(payloads);
    if (error === undefined) return;
    this.options.warn({ err: error, change: change.kind }, 'could not tell the other instances of a change yet; retrying');
    this.unsent.push({ payloads, until: Date.now() + this.options.retryForMs });
    this.scheduleResend();
  }

  /** Sends notices in order; the error that stopped it, if any. */
  private async send(payloads: string[]): Promise<unknown> {
    try {
      for (const payload of payloads) {
        const client = this.client;
        if (client) await client.query('select pg_notify($1, $2)', [changeChannel, payload]);
        else await this.db.raw('select pg_notify(?, ?)', [changeChannel, payload]);
      }
      return undefined;
    } catch (error) {
      return error ?? new Error('pg_notify failed');
    }
  }

  private scheduleResend(): void {
    if (this.resend || this.closed || !this.unsent.length) return;
    this.resend = setTimeout(() => {
      this.resend = undefined;
      void this.resendUnsent();
    }, 200);
    this.resend.unref();
  }

  private async resendUnsent(): Promise<void> {
    const pending = this.unsent;
    this.unsent = [];
    for (const notice of pending) {
      if ((await this.send(notice.payloads)) === undefined) continue;
      if (Date.now() < notice.until) this.unsent.push(notice);
      else this.options.warn({}, 'gave up telling the other instances of a change: their caches have expired what it concerned');
    }
    this.scheduleResend();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.heartbeat);
    this.stopDistrust();
    clearTimeout(this.retry);
    clearTimeout(this.resend);
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
