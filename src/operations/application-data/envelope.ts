import type { Clock } from '../../clock.js';
import type { TesseraContext } from '../../http/operation-types.js';
import { applicationOf } from '../context.js';

/**
 * Usergrid's response envelope for application data, which Usergrid-era clients read
 * (`entities`, `cursor`, `count`…).
 */
export function envelope<E>(
  ctx: TesseraContext,
  clock: Clock,
  action: 'get' | 'post' | 'put' | 'delete',
  path: string,
  entities: E[],
  cursor?: string,
) {
  const { organization, application } = applicationOf(ctx);
  const now = clock.now();
  return {
    action,
    application: application.uuid,
    path,
    uri: `${ctx.protocol}://${ctx.host}/${organization.name}/${application.name}${path}`,
    entities,
    count: entities.length,
    ...(cursor !== undefined && { cursor }),
    timestamp: now,
    duration: Math.max(0, now - ctx.state.startedAt),
    organization: organization.name,
    applicationName: application.name,
  };
}
