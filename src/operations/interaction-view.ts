import type { AppUserRecord } from '../db/repositories/app-users.js';
import type { OAuthClientRecord } from '../db/repositories/oauth-clients.js';
import type { Deps } from '../deps.js';
import { InvalidRequest } from '../errors.js';
import type { Interaction } from '../oauth/interactions.js';
import { consentPage, loginPage, type Page } from '../web/pages.js';

/** Who takes part in an interaction: the client, its application's name, and the user once signed in. */
export interface Parties {
  client: OAuthClientRecord;
  applicationName: string;
  user?: AppUserRecord;
}

export async function partiesOf(deps: Pick<Deps, 'repositories'>, interaction: Interaction): Promise<Parties> {
  const gone = new InvalidRequest('The application that asked is no longer registered; start again from the application');
  const client = await deps.repositories.oauthClients.findByClientId(interaction.record.clientId ?? '');
  const application = client && (await deps.repositories.applications.findById(client.applicationId));
  if (!client || !application) throw gone;
  const user = interaction.userId === null ? undefined : await deps.repositories.appUsers.findById(interaction.userId);
  return { client, applicationName: application.name, ...(user && { user }) };
}

/** The page an interaction is at: the login page until someone signed in, then the consent page. */
export function pageOf(interaction: Interaction, parties: Parties): Page {
  const common = { interaction: interaction.value, clientName: parties.client.name, applicationName: parties.applicationName };
  if (!parties.user) return loginPage(common);
  return consentPage({ ...common, username: parties.user.username, scopes: interaction.record.scopes, redirectUri: interaction.state.redirectUri });
}
