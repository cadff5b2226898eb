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

/** What every Usergrid answer about an application carries around its payload. */
function around(request: AnsweredRequest, clock: Clock, action: Action, path: string) {
  const { organization, application } = tenantOf(request);
  return {
    head: { action, application: application.uuid, path, uri: `${request.protocol}://${request.host}/${organization.name}/${application.name}${path}` },
    tail: { ...timing(request, clock), organization: organization.name, applicationName: application.name },
  };
}

/**
 * Usergrid's response envelope for application data, which Usergrid-era clients read
 * (`entities`, `cursor`, `count`…).
 */
export function envelope<E>(request: AnsweredRequest, clock: Clock, action: Action, path: string, entities: E[], cursor?: string) {
  const { head, tail } = around(request, clock, action, path);
  return { ...head, entities, count: entities.length, ...(cursor !== undefined && { cursor }), ...tail };
}

/** Usergrid's envelope for values that are not entities (permissions), in `data`. */
export function dataEnvelope<D>(request: AnsweredRequest, clock: Clock, action: Action, path: string, data: D) {
  const { head, tail } = around(request, clock, action, path);
  return { ...head, data, ...tail };
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
