import type { Clock } from '../../clock.js';
import type { TesseraContext } from '../types.js';
import { applicationOf, presentedTokenOf } from '../context.js';

/** The access token value the request carried (already authenticated by the security step). */
export function presentedAccessToken(ctx: TesseraContext): string | undefined {
  return presentedTokenOf(ctx, ['bearerAuth', 'accessToken']);
}

type RevocationAction = 'revoked user tokens' | 'revoked user token';

const timing = (ctx: TesseraContext, clock: Clock) => {
  const now = clock.now();
  return { timestamp: now, duration: Math.max(0, now - ctx.state.startedAt) };
};

/** Usergrid's answer to an application user's revocation (reference §4). */
export function applicationRevocationAnswer(ctx: TesseraContext, clock: Clock, action: RevocationAction) {
  const { organization, application } = applicationOf(ctx);
  return {
    action,
    application: application.uuid,
    uri: `${ctx.protocol}://${ctx.host}/${organization.name}/${application.name}`,
    organization: organization.name,
    applicationName: application.name,
    ...timing(ctx, clock),
  };
}

/** Usergrid's answer to an admin user's revocation. */
export function managementRevocationAnswer(ctx: TesseraContext, clock: Clock, action: RevocationAction) {
  return { action, ...timing(ctx, clock) };
}
