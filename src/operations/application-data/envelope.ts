import type { Clock } from '../../clock.js';
import type { TesseraContext } from '../types.js';
import { applicationOf } from '../context.js';

type Action = 'get' | 'post' | 'put' | 'delete';

/** What every Usergrid answer about an application carries around its payload. */
function around(ctx: TesseraContext, clock: Clock, action: Action, path: string) {
  const { organization, application } = applicationOf(ctx);
  const now = clock.now();
  return {
    head: { action, application: application.uuid, path, uri: `${ctx.protocol}://${ctx.host}/${organization.name}/${application.name}${path}` },
    tail: { timestamp: now, duration: Math.max(0, now - ctx.state.startedAt), organization: organization.name, applicationName: application.name },
  };
}

/**
 * Usergrid's response envelope for application data, which Usergrid-era clients read
 * (`entities`, `cursor`, `count`…).
 */
export function envelope<E>(ctx: TesseraContext, clock: Clock, action: Action, path: string, entities: E[], cursor?: string) {
  const { head, tail } = around(ctx, clock, action, path);
  return { ...head, entities, count: entities.length, ...(cursor !== undefined && { cursor }), ...tail };
}

/** Usergrid's envelope for values that are not entities (permissions), in `data`. */
export function dataEnvelope<D>(ctx: TesseraContext, clock: Clock, action: Action, path: string, data: D) {
  const { head, tail } = around(ctx, clock, action, path);
  return { ...head, data, ...tail };
}
