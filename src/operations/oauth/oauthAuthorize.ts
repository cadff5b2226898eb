import type { Deps } from '../../deps.js';
import type { OperationHandler } from '../types.js';
import { AuthorizationError, authorizationResponseUri, checkAuthorizationRequest, resolveClientAndRedirect } from '../../oauth/authorization.js';
import { browserBinding, loadInteraction, startInteraction } from '../../oauth/interactions.js';
import { issuerOf } from '../../oauth/issuer.js';
import { loginPage } from '../../web/pages.js';
import { pageOf, partiesOf } from '../interaction-view.js';

/**
 * `GET /oauth/authorize` (RFC 6749 §4.1.1): with `interaction`, the page the authorization under
 * way is at; otherwise a new authorization request: client and redirect URI (failures are shown,
 * never redirected) → the rest of the request (failures go back to the client) → the login page.
 */
export const oauthAuthorize = (deps: Deps): OperationHandler<'oauthAuthorize'> => async (c, ctx) => {
  const issuer = issuerOf(deps.config, ctx);
  const query = c.request.query;
  if (query.interaction) {
    const interaction = await loadInteraction(deps, ctx, query.interaction);
    const page = pageOf(interaction, await partiesOf(deps, interaction));
    return { status: 200, headers: page.headers, body: page.body };
  }
  const { client, redirectUri } = await resolveClientAndRedirect(deps.repositories, query);
  const state = query.state || undefined;
  let checked;
  try {
    checked = checkAuthorizationRequest(client, query);
  } catch (error) {
    if (!(error instanceof AuthorizationError)) throw error;
    const location = authorizationResponseUri(redirectUri, { error: error.code, error_description: error.description, state, iss: issuer });
    return { status: 302, headers: { Location: location, 'Referrer-Policy': 'no-referrer' }, body: undefined };
  }
  const browser = browserBinding(ctx, issuer);
  const value = await startInteraction(
    deps,
    client,
    {
      redirectUri,
      redirectUriSent: Boolean(query.redirect_uri),
      scopes: checked.scopes,
      ...(state !== undefined && { state }),
      ...(checked.codeChallenge !== undefined && { codeChallenge: checked.codeChallenge }),
    },
    browser.secret,
  );
  const application = await deps.repositories.applications.findById(client.applicationId);
  const page = loginPage({ interaction: value, clientName: client.name, applicationName: application?.name ?? '' });
  return { status: 200, headers: { ...page.headers, ...(browser.setCookie && { 'Set-Cookie': browser.setCookie }) }, body: page.body };
};
