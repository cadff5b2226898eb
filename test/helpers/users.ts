import type { components } from '../../generated/openapi.js';
import { ok, tessera } from './api.js';
import { passwordOf } from './credentials.js';
import { baseUrlOf, type OrganizationFixture } from './fixtures.js';
import type { Client } from './http.js';

/** The body of a Usergrid token request, as the spec types it. */
export type UsergridTokenRequest = components['schemas']['TokenRequest'];

/**
 * An application user to make: a username (password `<username>-password`, email
 * `<username>@users.example`), or those fields and more, each given one overriding its default.
 */
export type UserSpec = string | ({ username: string } & Record<string, string>);

/** A user as the server numbers it: `id` for QuickBlox routes, `uuid` for Usergrid ones. */
export interface MadeUser {
  id: number;
  uuid: string;
}

/** An application user of the organization's application (`app` unless told), made by its admin. */
export async function createUser(http: Client | string, org: OrganizationFixture, user: UserSpec, app = org.app.name): Promise<MadeUser> {
  const { username, ...extra } = typeof user === 'string' ? { username: user } : user;
  const answer = await tessera(baseUrlOf(http), org.admin.token).POST('/{org}/{app}/users', {
    params: { path: { org: org.name, app } },
    body: { username, email: `${username}@users.example`, password: passwordOf(username), ...extra },
  });
  const [made] = ok(answer, 200).entities;
  if (!made) throw new Error(`user ${username}: no entity in the answer`);
  return { id: made.id, uuid: made.uuid };
}

/** An application user's token from the password grant (password `<username>-password`). */
export async function signIn(http: Client | string, org: OrganizationFixture, username: string, extra: UsergridTokenRequest = {}, app = org.app.name): Promise<string> {
  const answer = await tessera(baseUrlOf(http)).POST('/{org}/{app}/token', {
    params: { path: { org: org.name, app } },
    body: { grant_type: 'password', username, password: passwordOf(username), ...extra },
  });
  return ok(answer, 200).access_token;
}

/** The organization admin's token from the password grant. */
export async function adminSignIn(http: Client | string, org: OrganizationFixture, extra: UsergridTokenRequest = {}): Promise<string> {
  const answer = await tessera(baseUrlOf(http)).POST('/management/token', {
    body: { grant_type: 'password', username: org.admin.username, password: org.admin.password, ...extra },
  });
  return ok(answer, 200).access_token;
}
