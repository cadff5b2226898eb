import type { Deps } from '../../deps.js';
import { authenticateAppUser, keepIfAccountUnchanged } from '../../domain/app-users.js';
import { InvalidGrant, TooManyRequests } from '../../errors.js';
import type { OperationHandler } from '../types.js';
import { checkSameOrigin, interactionUri, loadInteraction, markSignedIn } from '../../oauth/interactions.js';
import { issuerOf } from '../../oauth/issuer.js';
import { loginPage } from '../../web/pages.js';
import { partiesOf } from '../interaction-view.js';

/**
 * `POST /oauth/authorize/login`: our own page, in this browser (anti-CSRF) → the password, under
 * brute-force protection (every failure recorded) → 303 to the consent page. A wrong password or
 * a refusal to try again yet shows the login page again, saying so.
 */
export const oauthLogin = (deps: Deps): OperationHandler<'oauthLogin'> => async (c, ctx) => {
  checkSameOrigin(ctx, issuerOf(deps.config, ctx));
  const form = c.request.requestBody;
  const interaction = await loadInteraction(deps, ctx, form.interaction);
  const parties = await partiesOf(deps, interaction);
  const next = { status: 303 as const, headers: { Location: interactionUri(interaction.value) }, body: undefined };
  if (parties.user) return next;
  const again = (error: string, headers?: Record<string, string>) =>
    loginPage({ interaction: interaction.value, clientName: parties.client.name, applicationName: parties.applicationName, username: form.username, error, ...(headers && { headers }) });
  try {
    const { applicationId: id, organizationId } = parties.client;
    const user = await authenticateAppUser(deps, { id, organizationId }, form.username, form.password, ctx.ip);
    await markSignedIn(deps, interaction, user);
    // Signed in to the account as it was a moment ago: the interaction ends if it has moved on since.
    await keepIfAccountUnchanged(deps, user, () => deps.tokens.revokeOne(interaction.record));
    return next;
  } catch (error) {
    if (error instanceof TooManyRequests) {
      const wait = error.headers['Retry-After'] ?? '1';
      const page = again(`Too many failed sign-ins for this account. Wait ${wait} second${wait === '1' ? '' : 's'}, then try again.`, { 'Retry-After': wait });
      return { status: 429, headers: page.headers, body: page.body };
    }
    if (error instanceof InvalidGrant) {
      // One answer for a wrong password and a deactivated account (issue 15): the page tells neither.
      const page = again('The username or password is wrong.');
      return { status: 200, headers: page.headers, body: page.body };
    }
    throw error;
  }
};
