import { randomUUID } from 'node:crypto';
import type { components } from '../../generated/openapi.js';
import { onDuplicate } from '../db/duplicates.js';
import type { EntityRecord } from '../db/repositories/entities.js';
import type { Deps, Repositories } from '../deps.js';
import { reservedCollections } from '../domain/entities.js';
import { checkEntitySize, storageQuotaOfId } from '../domain/storage.js';
import { NotFound } from '../errors.js';
import { FieldRefused } from './errors.js';
import { unixSeconds } from './wire.js';

type Schemas = components['schemas'];

/**
 * A class of custom objects is the collection of the same name in lower case, as Usergrid's
 * collection names are (`Movie` → `/{org}/{app}/movie`); a custom object is an entity of it, its
 * creator (shown as `user_id`) kept in the entity's own `creatorId`, which no client writes on
 * either route; who may change it is decided in one place (auth/authorize.ts).
 *
 * Custom objects have no unique name, unlike entities: what a QuickBlox client calls `name` stays
 * an ordinary field, so two movies may share a title. Only an entity given a name through
 * `/{org}/{app}` keeps it unique.
 */
export const collectionOf = (className: string): string => className.toLowerCase();

/** Set by the server; ignored when a client sends them (QuickBlox's and Usergrid's alike). */
const serverFields = new Set(['_id', '_parent_id', 'user_id', 'created_at', 'updated_at', 'permissions', 'uuid', 'type', 'created', 'modified', 'metadata']);

function ownFields(input: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(input).filter(([field]) => !serverFields.has(field)));
}

/** The collection of a class; names with a meaning of their own (users, roles…) are not classes of custom objects. */
export function collectionOfClass(className: string): string {
  const collection = collectionOf(className);
  if (reservedCollections.has(collection)) throw new NotFound(`No class ${className}: the name is reserved`);
  return collection;
}


export function customObjectView(entity: EntityRecord): Schemas['QuickBloxCustomObject'] {
  return {
    ...ownFields(entity.data),
    ...(entity.name !== null && { name: entity.name }),
    _id: entity.uuid,
    _parent_id: null,
    user_id: entity.creatorId ?? 0,
    created_at: unixSeconds(entity.createdAt),
    updated_at: unixSeconds(entity.modifiedAt),
  };
}

export async function createCustomObject(
  deps: Pick<Deps, 'repositories' | 'clock' | 'config'>,
  applicationId: number,
  className: string,
  creatorId: number,
  input: Record<string, unknown>,
): Promise<EntityRecord> {
  const collection = collectionOfClass(className);
  const now = deps.clock.now();
  const data = ownFields(input);
  checkEntitySize(deps.config, null, data);
  return deps.repositories.entities.insert(
    { uuid: randomUUID(), applicationId, collection, name: null, data, creatorId, createdAt: now, modifiedAt: now },
    await storageQuotaOfId(deps, applicationId),
  );
}

export async function findCustomObject(deps: Pick<Deps, 'repositories'>, applicationId: number, className: string, id: string): Promise<EntityRecord> {
  const entity = await deps.repositories.entities.find(applicationId, collectionOfClass(className), id);
  if (!entity) throw new NotFound(`Couldn't find ${className} with _id ${id}`);
  return entity;
}

/** The fields sent replace those of the same name; the others, and the creator, are kept. */
export async function updateCustomObject(deps: Pick<Deps, 'repositories' | 'clock' | 'config'>, entity: EntityRecord, input: Record<string, unknown>): Promise<EntityRecord> {
  const fields = ownFields(input);
  // An entity named through /{org}/{app} keeps its unique name in its own column.
  const renamed = entity.name !== null && typeof fields.name === 'string';
  const name = renamed ? (fields.name as string) : entity.name;
  if (renamed) delete fields.name;
  const data = { ...entity.data, ...fields };
  checkEntitySize(deps.config, name, data);
  const now = deps.clock.now();
  await deps.repositories.entities
    .update(entity.id, name, data, now, await storageQuotaOfId(deps, entity.applicationId))
    .catch(onDuplicate(() => new FieldRefused('name', 'has already been taken')));
  return { ...entity, name, data, modifiedAt: now };
}
