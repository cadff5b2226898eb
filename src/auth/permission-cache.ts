import { LRUCache } from 'lru-cache';
import type { Clock } from '../clock.js';
import { noMetrics, type CacheMeter } from '../metrics.js';
import { singleInstanceFeed, type ChangeFeed } from '../db/change-feed.js';
import type { AppUsersRepository } from '../db/repositories/app-users.js';
import type { PermissionsRepository } from '../db/repositories/permissions.js';
import { compilePermissions, type CompiledPermissions } from './permissions.js';

export interface PermissionSources {
  permissions: Pick<PermissionsRepository, 'ofRoleNamed' | 'ofUser'>;
  appUsers: Pick<AppUsersRepository, 'findById'>;
}

export interface PermissionCacheOptions {
  /** How long compiled permissions are trusted without a change notice: the bound for other instances' changes. */
  ttlMs: number;
  size: number;
}

/** A signed-in user may always read their own record, `/users/me` included (Usergrid grants it beside every role). */
const readOwnRecord = 'get:/users/${user}';

/** An application user's compiled permissions, and the uuid by which a path segment other than `/users/{user}` names them. */
export interface UserPermissions {
  permissions: CompiledPermissions;
  /** Lower-cased; compared as a literal. Never reused, unlike a username its owner can give up. */
  uuid: string;
}

interface Entry {
  /** Undefined: no such guest role, or no such user. */
  value: CompiledPermissions | UserPermissions | undefined;
  generation: number;
  loadedAt: number;
}

/**
 * The compiled permissions of guests and application users, per application, so that deciding a
 * request is a cache hit rather than five joins. Every change to an application's roles,
 * permissions, groups or users calls `changed(applicationId)`, which outdates all of that
 * application's entries at once (a generation number, so no scan): the very next request loads
 * fresh permissions. `changed` also tells the other instances, whose feed calls `changedElsewhere`
 * (within the second); `forgetAll` empties the cache when notices may have been missed. `ttlMs`
 * only bounds an entry's age in case a notice is lost while the channel still looks up.
 */
export class PermissionCache {
  private readonly cache: LRUCache<string, Entry>;
  private readonly generations = new Map<number, number>();
  /** Bumped by `forgetAll`: what a load in flight read then is not kept. */
  private epoch = 0;

  constructor(
    private readonly sources: PermissionSources,
    private readonly clock: Clock,
    private readonly options: PermissionCacheOptions,
    private readonly feed: Pick<ChangeFeed, 'publish'> = singleInstanceFeed,
    private readonly meter: CacheMeter = noMetrics.cache('permission'),
  ) {
    this.cache = new LRUCache({ max: options.size });
  }

  /** The `guest` role's compiled permissions, for anonymous requests; undefined when the application has no guest role. */
  ofGuest(applicationId: number): Promise<CompiledPermissions | undefined> {
    return this.cached<CompiledPermissions>(applicationId, 'guest', async () => {
      const permissions = await this.sources.permissions.ofRoleNamed(applicationId, 'guest');
      return permissions && compilePermissions(permissions);
    });
  }

  /** An application user's compiled permissions; undefined when the user no longer exists. */
  ofUser(applicationId: number, userId: number): Promise<UserPermissions | undefined> {
    return this.cached<UserPermissions>(applicationId, `user:${userId}`, async () => {
      const user = await this.sources.appUsers.findById(userId);
      if (!user || user.applicationId !== applicationId) return undefined;
      const permissions = await this.sources.permissions.ofUser(applicationId, userId);
      return { permissions: compilePermissions([readOwnRecord, ...permissions]), uuid: user.uuid.toLowerCase() };
    });
  }

  /** Something that grants rights in this application changed: its cached permissions are out of date now. */
  changed(applicationId: number): void {
    this.changedElsewhere(applicationId);
    void this.feed.publish({ kind: 'permissions', applicationId });
  }

  /** Another instance changed what grants rights in this application. */
  changedElsewhere(applicationId: number): void {
    this.generations.set(applicationId, this.generationOf(applicationId) + 1);
  }

  /** Notices may have been missed: nothing cached is trusted any more. */
  forgetAll(): void {
    this.epoch++;
    this.cache.clear();
  }

  private generationOf(applicationId: number): number {
    return this.generations.get(applicationId) ?? 0;
  }

  private async cached<T extends CompiledPermissions | UserPermissions>(applicationId: number, who: string, load: () => Promise<T | undefined>): Promise<T | undefined> {
    const key = `${applicationId}:${who}`;
    const generation = this.generationOf(applicationId);
    const now = this.clock.now();
    const entry = this.cache.get(key);
    if (entry && entry.generation === generation && now - entry.loadedAt < this.options.ttlMs) {
      this.meter.hit();
      return entry.value as T | undefined;
    }
    this.meter.miss();
    // The generation is read before loading: a change during the load outdates what it read.
    const epoch = this.epoch;
    const value = await load();
    if (epoch === this.epoch) this.cache.set(key, { value, generation, loadedAt: now });
    return value;
  }
}
