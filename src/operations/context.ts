import type { ApplicationRecord } from '../db/repositories/applications.js';
import type { OrganizationRecord } from '../db/repositories/organizations.js';
import type { PresentedCredential } from '../auth/authentication.js';
import type { Principal } from '../auth/principal.js';
import type { TesseraContext } from './types.js';

/** What the pipeline resolved before the handler ran; the spec guarantees these for the operations that use them. */
export function principalOf(ctx: TesseraContext): Principal {
  const principal = ctx.state.principal;
  if (!principal) throw new Error('the security step did not run');
  return principal;
}

export function organizationOf(ctx: TesseraContext): OrganizationRecord {
  const organization = ctx.state.organization;
  if (!organization) throw new Error('this operation has no {org} in its path');
  return organization;
}

export function applicationOf(ctx: TesseraContext): { organization: OrganizationRecord; application: ApplicationRecord } {
  const application = ctx.state.application;
  if (!application) throw new Error('this operation has no {app} in its path');
  return { organization: organizationOf(ctx), application };
}

/** The token value the security step authenticated the request by, when it came by one of `schemes`. */
export function presentedTokenOf(ctx: TesseraContext, schemes: readonly PresentedCredential['scheme'][]): string | undefined {
  const presented = ctx.state.presented;
  return presented && 'token' in presented && schemes.includes(presented.scheme) ? presented.token : undefined;
}

/** The access token value the request carried (already authenticated by the security step). */
export function presentedAccessToken(ctx: TesseraContext): string | undefined {
  return presentedTokenOf(ctx, ['bearerAuth', 'accessToken']);
}
