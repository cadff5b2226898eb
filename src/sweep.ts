import type { Deps } from './deps.js';
import { timestampWindowS } from './quickblox/nonces.js';

export interface SweepResult {
  tokens: number;
  nonces: number;
  auditEvents: number;
  /** Events deleted because their organization kept more than `auditMaxEventsPerOrganization`, oldest first. */
  auditEventsOverLimit: number;
  attemptCounters: number;
  knownSources: number;
}

/**
 * Deletes what can no longer matter, so that nothing an anonymous caller makes the server store
 * (an OAuth interaction per `GET /oauth/authorize`, a QuickBlox nonce per signed request) grows
 * without bound: audit events past their retention, dead tokens of every kind once a grace period has passed (longer than the
 * write-behind of last-used times, so a sliding expiry is never judged on a stale row), used codes
 * and refresh tokens only with the last live token of their grant, nonces the timestamp check
 * refuses anyway, and brute-force counters and known sign-in sources once their rule would forget
 * them. Runs on an unref'd timer; cut-offs come from the injected clock, so tests call `sweep()` after moving a ManualClock. Deletes go in bounded batches, a bounded number per sweep,
 * so one sweep never holds the database for long; what is left goes on the next.
 */
export class Sweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<SweepResult> | undefined;

  constructor(
    private readonly deps: Pick<Deps, 'repositories' | 'tokens' | 'clock' | 'config' | 'logger'>,
    private readonly options: { batchSize?: number; batchesPerSweep?: number } = {},
  ) {}

  start(): void {
    if (this.timer || this.deps.config.purgeIntervalMs === 0) return;
    this.timer = setInterval(() => {
      this.sweep().catch((error: unknown) => this.deps.logger.warn({ err: error }, 'purge failed; it is retried on the next sweep'));
    }, this.deps.config.purgeIntervalMs);
    this.timer.unref();
  }

  /** Stops the timer and waits for a sweep under way, so the database can close after it. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  /** One sweep; a second call while one runs joins it. */
  sweep(): Promise<SweepResult> {
    this.running ??= this.purge().finally(() => (this.running = undefined));
    return this.running;
  }

  private async purge(): Promise<SweepResult> {
    const { repositories, tokens, clock, config } = this.deps;
    const now = clock.now();
    const graceMs = Math.max(config.purgeGraceMs, 2 * config.tokenWriteBehindMs);
    const nonceCutoff = Math.floor(now / 1000) - timestampWindowS - 60;
    return {
      tokens: await this.inBatches((limit) => tokens.purgeDead(now, graceMs, limit)),
      nonces: await this.inBatches((limit) => repositories.quickbloxNonces.purgeBefore(nonceCutoff, limit)),
      auditEvents: await this.inBatches((limit) => repositories.auditEvents.purgeBefore(now - config.auditRetentionDays * 86_400_000, limit)),
      auditEventsOverLimit: await this.trimAuditEvents(),
      attemptCounters: await this.inBatches((limit) => repositories.attemptCounters.purgeCountersBefore(now, limit)),
      knownSources: await this.inBatches((limit) => repositories.attemptCounters.purgeKnownSourcesBefore(now, limit)),
    };
  }

  /**
   * Keeps each organization's newest `auditMaxEventsPerOrganization` events of each budget (what its
   * admins, clients and API tokens did; what its users, sessions and guests did or caused): neither
   * can grow the table without bound within the retention period, and a flood of the second (anyone
   * may sign up in a sandbox) never pushes out the first. Events of no organization (an admin's failed sign-ins) are counted per
   * account and window, so retention alone bounds them.
   */
  private async trimAuditEvents(): Promise<number> {
    const { auditEvents } = this.deps.repositories;
    let total = 0;
    for (const { organizationId, managed, newestToDelete } of await auditEvents.organizationsOver(this.deps.config.auditMaxEventsPerOrganization)) {
      total += await this.inBatches((limit) => auditEvents.purgeOfOrganizationUpTo(organizationId, managed, newestToDelete, limit));
    }
    return total;
  }

  private async inBatches(purge: (limit: number) => Promise<number>): Promise<number> {
    const batchSize = this.options.batchSize ?? 500;
    let total = 0;
    for (let batch = 0; batch < (this.options.batchesPerSweep ?? 20); batch++) {
      const deleted = await purge(batchSize);
      total += deleted;
      if (deleted < batchSize) break;
    }
    return total;
  }
}
