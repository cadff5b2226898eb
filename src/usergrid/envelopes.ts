import type { Clock } from '../clock.js';
import type { ApplicationRecord } from '../db/repositories/applications.js';
import type { OrganizationRecord } from '../db/repositories/organizations.js';

/**
 * What a Usergrid answer reads of the request it answers: where it was sent, when it started and
 * the tenant its path named. The pipeline's context has these members, so handlers pass it as is.
 */
export interface AnsweredRequest {
  readonly protocol: string;
  readonly host: string;
  readonly state: { readonly startedAt: number; readonly organization?: OrganizationRecord; readonly application?: ApplicationRecord };
}

type Action = 'get' | 'post' | 'put' | 'delete';

function tenantOf(request: AnsweredRequest): { organization: OrganizationRecord; application: ApplicationRecord } {
  const { organization, application } = request.state;
  if (!organization || !application) throw new Error('a Usergrid application answer needs {org} and {app} in the path');
  return { organization, application };
}

const timing = (request: Pick<AnsweredRequest, 'state'>, clock: Clock) => {
  const now = clock.now();
  return { timestamp: now, duration: Math.max(0, now - request.state.startedAt) };
};

/** The tenant an application answer is about, and the `uri` Usergrid gives the answer. */
function placeOf(request: AnsweredRequest, path: string) {
  const { organization, application } = tenantOf(request);
  return { organization, application, uri: `${request.protocol}://${request.host}/${organization.name}/${application.name}${path}` };
}

/**
 * Usergrid's response envelope for application data, which Usergrid-era clients read
 * (`entities`, `cursor`, `count`…).
 *
 * The envelopes are written out field by field, in Usergrid's order, rather than spread from shared
 * parts: on Node 20's V8 an object literal that spreads one object and then adds fields takes a
 * slow path, and these two spreads cost a page of users ~9 µs (a CPU profile's line ticks).
 */
export function envelope<E>(request: AnsweredRequest, clock: Clock, action: Action, path: string, entities: E[], cursor?: string) {
  const { organization, application, uri } = placeOf(request, path);
  const { timestamp, duration } = timing(request, clock);
  const count = entities.length;
  return cursor === undefined
    ? { action, application: application.uuid, path, uri, entities, count, timestamp, duration, organization: organization.name, applicationName: application.name }
    : { action, application: application.uuid, path, uri, entities, count, cursor, timestamp, duration, organization: organization.name, applicationName: application.name };
}

/** Usergrid's envelope for values that are not entities (permissions), in `data`. */
export function dataEnvelope<D>(request: AnsweredRequest, clock: Clock, action: Action, path: string, data: D) {
  const { organization, application, uri } = placeOf(request, path);
  const { timestamp, duration } = timing(request, clock);
  return { action, application: application.uuid, path, uri, data, timestamp, duration, organization: organization.name, applicationName: application.name };
}

/** The actions answered without entities: a revocation (reference §4), a password change. */
type AccountAction = 'revoked user tokens' | 'revoked user token' | 'set user password';

/** Usergrid's answer to an application user's revocation (reference §4) or password change. */
export function applicationRevocationAnswer<A extends AccountAction>(request: AnsweredRequest, clock: Clock, action: A) {
  const { organization, application } = tenantOf(request);
  return {
    action,
    application: application.uuid,
    uri: `${request.protocol}://${request.host}/${organization.name}/${application.name}`,
    organization: organization.name,
    applicationName: application.name,
    ...timing(request, clock),
  };
}

/** Usergrid's answer to an admin user's revocation or password change. */
export function managementRevocationAnswer<A extends AccountAction>(request: Pick<AnsweredRequest, 'state'>, clock: Clock, action: A) {
  return { action, ...timing(request, clock) };
}

/** A page of a management list (`data`, with `cursor` when there is more), timed like every Usergrid answer. */
export function managementPage<A extends string, D>(request: Pick<AnsweredRequest, 'state'>, clock: Clock, action: A, data: D[], cursor?: string) {
  return { action, status: 'ok' as const, data, count: data.length, ...(cursor !== undefined && { cursor }), ...timing(request, clock) };
}
