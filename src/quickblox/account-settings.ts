import type { components } from '../../generated/openapi.js';
import type { Config } from '../config.js';
import type { OrganizationRecord } from '../db/repositories/organizations.js';
import { NotFound } from '../errors.js';
import { issuerOf } from '../oauth/issuer.js';
import { FieldRefused } from './errors.js';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A QuickBlox account is a Tessera organization, and its account key the organization's uuid: not
 * a secret (QuickBlox ships it in every app, and the answer only names this server's public
 * address), but it names one account, as QuickBlox's does, so an unknown key is told so.
 */
export async function organizationOfAccountKey(
  find: (ref: string) => Promise<OrganizationRecord | undefined>,
  accountKey: string,
): Promise<OrganizationRecord> {
  const organization = uuidPattern.test(accountKey) ? await find(accountKey.toLowerCase()) : undefined;
  if (!organization) throw new NotFound('No account found');
  return organization;
}

/**
 * Where the SDK is to send everything from now on: this server. Its address is the one OAuth
 * announces as issuer (`TESSERA_ISSUER`, else the loopback address the request reached): a Host
 * header is not to be trusted as the server's name, and the SDK would send passwords to it.
 */
export function accountSettings(config: Pick<Config, 'issuer'>, request: { host: string }, organization: OrganizationRecord): components['schemas']['QuickBloxAccountSettings'] {
  let address: string;
  try {
    address = issuerOf(config, request);
  } catch {
    throw new FieldRefused('base', 'Account settings are served only on a loopback address until TESSERA_ISSUER names the https address of the server');
  }
  const host = new URL(address).host;
  return { account_id: organization.id, api_endpoint: address, chat_endpoint: host, turnserver_endpoint: host };
}
