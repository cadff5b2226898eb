import { ok, type TypedAnswer } from '../helpers/api.js';

/** Reading the answers of the typed client (`tessera()` of `helpers/api.ts`) about entities. */

/** The first entity of a collection answer (Usergrid answers a single entity as a list of one). */
export function firstEntity<E>(answer: TypedAnswer<{ entities: E[] }>): E {
  const [entity] = ok(answer).entities;
  if (entity === undefined) throw new Error('the answer holds no entity');
  return entity;
}
