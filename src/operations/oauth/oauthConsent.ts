import type { Deps } from '../../deps.js';
import { InvalidRequest } from '../../errors.js';
import type { OperationHandler } from '../types.js';
import { authorizationResponseUri } from '../../oauth/authorization.js';
import { issueAuthorizationCode } from '../../oauth/grants/authorization-code.js';
import { checkSameOrigin, finishInteraction, loadInteraction } from '../../oauth/interactions.js';
import { issuerOf } from '../../oauth/issuer.js';
import { pageOf, partiesOf } from '../interaction-view.js';

/**
 * `POST /oauth/authorize/consent`: our own page, in this browser, after a sign-in → the answer,
 * once → 303 to the client's redirect URI with a code, or `access_denied`; `state` and `iss` either
 * way (RFC 6749 §4.1.2, RFC 9207). 303, never 307, so the password never follows (RFC 9700 §4.12).
 */
export const oauthConsent = (deps: Deps): OperationHandler<'oauthConsent'> => async (c, ctx) => {
  const issuer = issuerOf(deps.config, ctx);
  checkSameOrigin(ctx, issuer);
  const form = c.request.requestBody;
  const interaction = await loadInteraction(deps, ctx, form.interaction);
  const parties = await partiesOf(deps, interaction);
  if (!parties.user) {
    const page = pageOf(interaction, parties);
    return { status: 200, headers: page.headers, body: page.body };
  }
  if (!(await finishInteraction(deps, interaction))) throw new InvalidRequest('This authorization was already answered; start again from the application');
  const { redirectUri, redirectUriSent, state, codeChallenge } = interaction.state;
  const answer =
    form.decision === 'approve'
      ? {
          code: await issueAuthorizationCode(deps, {
            client: parties.client, userId: parties.user.id, scopes: interaction.record.scopes, redirectUri, redirectUriSent, ...(codeChallenge !== undefined && { codeChallenge }),
          }),
        }
      : { error: 'access_denied', error_description: 'The user denied the request' };
  return { status: 303, headers: { Location: authorizationResponseUri(redirectUri, { ...answer, state, iss: issuer }) }, body: undefined };
};
