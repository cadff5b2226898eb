import type { Deps } from '../../deps.js';
import type { OperationHandler } from '../types.js';
import { accountSettings, organizationOfAccountKey } from '../../quickblox/account-settings.js';

/** No session: the SDKs ask before they have one, with only the account key. */
export const getAccountSettings = (deps: Deps): OperationHandler<'getAccountSettings'> => async (c, ctx) => {
  const accountKey = String(c.request.headers['qb-account-key']);
  const organization = await organizationOfAccountKey((ref) => deps.repositories.organizations.find(ref), accountKey);
  return { status: 200, body: accountSettings(deps.config, ctx, organization) };
};
