import { randomUUID } from 'node:crypto';
import type { ApplicationRecord } from '../db/repositories/applications.js';
import type { EntityRecord } from '../db/repositories/entities.js';
import { onDuplicate } from '../db/duplicates.js';
import type { Deps } from '../deps.js';
import { Conflict, IllegalArgument, NotFound } from '../errors.js';
import { checkEntitySize, storageQuotaOf } from './storage.js';

/**
 * Collection names with a meaning of their own (users, roles, groups, tokens…); storing entities
 * under them would be shadowed by those operations.
 */
export const reservedCollections = new Set([
  'users', 'roles', 'groups', 'token', 'tokens', 'credentials', 'permissions', 'revoketokens', 'revoketoken', 'me', 'api-tokens', 'clients',
]);

/** Set by the server, ignored when a client sends them (as Usergrid does). */
const serverFields = ['uuid', 'type', 'created', 'modified', 'metadata'];

function ownData(input: Record<string, unknown>): Record<string, unknown> {
  const data = { ...input };
  for (const field of serverFields) delete data[field];
  delete data.name;
  return data;
}

/** Entities are not stored under a reserved name: its own operations answer there. */
export function checkCollection(collection: string): void {
  if (reservedCollections.has(collection)) throw new IllegalArgument(`"${collection}" is not a collection of entities`);
}

const nameTaken = onDuplicate(() => new Conflict('An entity with that name already exists in this collection'));

export async function createEntity(
  deps: Pick<Deps, 'repositories' | 'clock' | 'config'>,
  application: ApplicationRecord,
  collection: string,
  input: Record<string, unknown>,
): Promise<EntityRecord> {
  checkCollection(collection);
  const now = deps.clock.now();
  const name = typeof input.name === 'string' ? input.name : null;
  const data = ownData(input);
  checkEntitySize(deps.config, name, data);
  return deps.repositories.entities
    .insert({ uuid: randomUUID(), applicationId: application.id, collection, name, data, creatorId: null, createdAt: now, modifiedAt: now }, storageQuotaOf(deps.config, application))
    .catch(nameTaken);
}

export async function findEntity(deps: Pick<Deps, 'repositories'>, application: ApplicationRecord, collection: string, ref: string): Promise<EntityRecord> {
  checkCollection(collection);
  const entity = await deps.repositories.entities.find(application.id, collection, ref);
  if (!entity) throw new NotFound(`No entity ${ref} in ${collection}`, 'entity_not_found');
  return entity;
}

/** The properties sent replace those of the same name; the others are kept. */
export async function updateEntity(
  deps: Pick<Deps, 'repositories' | 'clock' | 'config'>,
  application: ApplicationRecord,
  entity: EntityRecord,
  input: Record<string, unknown>,
): Promise<EntityRecord> {
  const now = deps.clock.now();
  const name = typeof input.name === 'string' ? input.name : entity.name;
  const data = { ...entity.data, ...ownData(input) };
  checkEntitySize(deps.config, name, data);
  await deps.repositories.entities.update(entity.id, name, data, now, storageQuotaOf(deps.config, application)).catch(nameTaken);
  return { ...entity, name, data, modifiedAt: now };
}
