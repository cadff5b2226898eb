import type { components } from '../../generated/openapi.js';
import { randomBytes } from 'node:crypto';
import type { ApplicationRecord } from '../db/repositories/applications.js';
import type { AppUserRecord } from '../db/repositories/app-users.js';
import type { Deps } from '../deps.js';
import { createAppUser, ExternalIdTaken, proveCurrentPassword, updateAppUser } from '../domain/app-users.js';
import { usernameProblem } from '../domain/usernames.js';
import { Conflict, NotFound } from '../errors.js';
import { FieldRefused, WrongOldPassword } from './errors.js';
import { isoSeconds } from './wire.js';

type Schemas = components['schemas'];
type NewUserFields = Schemas['QuickBloxNewUser']['user'];
type UserChanges = Schemas['QuickBloxUserUpdate']['user'];

/**
 * A QuickBlox user is an application user: `login` is the username, `full_name` the name, and the
 * QuickBlox fields Tessera has no column for live among the user's properties, under their
 * QuickBlox names (`tag_list` in, `user_tags` out), where `/{org}/{app}/users` shows them too.
 */
export function quickbloxUserView(user: AppUserRecord): Schemas['QuickBloxUser'] {
  const property = user.properties;
  const text = (value: unknown) => (typeof value === 'string' ? value : null);
  return {
    id: user.id,
    full_name: user.name,
    email: user.email,
    login: user.username,
    phone: text(property.phone),
    website: text(property.website),
    created_at: isoSeconds(user.createdAt),
    updated_at: isoSeconds(user.modifiedAt),
    last_request_at: user.lastRequestAt === null ? null : isoSeconds(user.lastRequestAt),
    external_user_id: typeof property.external_user_id === 'number' ? property.external_user_id : null,
    facebook_id: text(property.facebook_id),
    blob_id: null,
    custom_data: text(property.custom_data),
    user_tags: text(property.user_tags),
    age_over16: null,
    allow_statistics_analysis: null,
    allow_sales_activities: null,
    parents_contacts: null,
  };
}

/** QuickBlox's field names → an application user's (`login` → `username`, `full_name` → `name`, `tag_list` → `user_tags`). */
function asAppUserFields(input: NewUserFields | UserChanges): Record<string, unknown> {
  const { login, full_name: fullName, tag_list: tagList, ...rest } = input;
  const { old_password: _checkedApart, ...fields } = rest as typeof rest & { old_password?: string };
  return {
    ...fields,
    ...(login !== undefined && { username: login }),
    ...(fullName !== undefined && { name: fullName }),
    ...(tagList !== undefined && { user_tags: tagList }),
  };
}

/** The one rule for usernames (domain/usernames.ts), answered in QuickBlox's words. */
function checkLogin(login: string | undefined): void {
  const problem = login === undefined ? undefined : usernameProblem(login);
  if (problem) throw new FieldRefused('login', problem);
}

/**
 * A user who signs up with an email only still needs a username, and the email itself may not be
 * one (it would name the user by a second route, and `*@corp.example` once matched as a pattern):
 * the login becomes the email's local part, cleaned to the characters a username may have, and a
 * random suffix that keeps it unique and not shaped like anything else (`bob.smith-7f3a9c21`).
 */
export function loginFromEmail(email: string): string {
  const local = email.slice(0, email.lastIndexOf('@')).replace(/[^A-Za-z0-9_.-]/g, '').replace(/^[^A-Za-z0-9]+/, '').slice(0, 48);
  return `${local || 'user'}-${randomBytes(4).toString('hex')}`;
}

/** A unique index, or the write's external-id check (repositories/app-users.ts), refused the user: QuickBlox says which field (reference §8: `{"errors":{"login":["has already been taken"]}}`). */
async function takenField(deps: Pick<Deps, 'repositories'>, applicationId: number, login: string | undefined, error: unknown): Promise<never> {
  if (!(error instanceof Conflict)) throw error;
  if (error instanceof ExternalIdTaken) throw new FieldRefused('external_user_id', 'has already been taken');
  const loginTaken = login !== undefined && (await deps.repositories.appUsers.find(applicationId, login)) !== undefined;
  throw new FieldRefused(loginTaken ? 'login' : 'email', 'has already been taken');
}

/** Sign-up: `login` or `email` (a user without a login is known by their email), and a password. */
export async function signUp(deps: Pick<Deps, 'repositories' | 'clock' | 'config'>, application: ApplicationRecord, input: NewUserFields): Promise<AppUserRecord> {
  if (input.login === undefined && input.email === undefined) throw new FieldRefused('base', 'login or email is required');
  const login = input.login ?? loginFromEmail(input.email!);
  checkLogin(login);
  const fields = asAppUserFields(input);
  return createAppUser(deps, application, { ...fields, username: login, password: input.password }).catch((error: unknown) =>
    takenField(deps, application.id, login, error),
  );
}

/**
 * A user changes their own record. A new password needs the old one (checked under the brute-force
 * throttle: a stolen session must not become a password oracle), and, as everywhere in Tessera,
 * ends every session and token the user holds.
 */
export async function updateOwnUser(
  deps: Pick<Deps, 'repositories' | 'clock' | 'config' | 'tokens' | 'permissionCache' | 'bruteForceGuard'>,
  user: AppUserRecord,
  input: UserChanges,
  ip: string,
): Promise<AppUserRecord> {
  checkLogin(input.login);
  if (input.password !== undefined) {
    if (input.old_password === undefined) throw new FieldRefused('old_password', "can't be blank");
    await proveCurrentPassword(deps, user, input.old_password, ip, () => new WrongOldPassword());
  }
  return updateAppUser(deps, user, asAppUserFields(input)).catch((error: unknown) => takenField(deps, user.applicationId, input.login, error));
}

/** QuickBlox's answer for a user it cannot find, whatever it looked them up by. */
const noSuchUser = () => new NotFound("Couldn't find user");

/**
 * A user of the application by login, in any case. A value shaped like an email or a uuid is no
 * login (domain/usernames.ts), though the repository would find a user by it: not found here.
 */
export async function findUserByLogin(deps: Pick<Deps, 'repositories'>, applicationId: number, login: string): Promise<AppUserRecord> {
  const user = usernameProblem(login) ? undefined : await deps.repositories.appUsers.find(applicationId, login);
  if (!user) throw noSuchUser();
  return user;
}

/** A user of the application by email, in any case. */
export async function findUserByEmail(deps: Pick<Deps, 'repositories'>, applicationId: number, email: string): Promise<AppUserRecord> {
  const user = email.includes('@') ? await deps.repositories.appUsers.find(applicationId, email) : undefined;
  if (!user) throw noSuchUser();
  return user;
}

/**
 * The user of the application holding an `external_user_id`, if only one does. Writes keep it
 * unique now (repositories/app-users.ts), but users written before could share one: answering
 * one of them would let a user claim another's id and receive what an app sends to it, or delete
 * them by it; nobody is answered instead.
 */
export async function externalIdHolder(deps: Pick<Deps, 'repositories'>, applicationId: number, externalId: number): Promise<AppUserRecord | undefined> {
  const holders = await deps.repositories.appUsers.findByExternalId(applicationId, externalId, 2);
  return holders.length === 1 ? holders[0] : undefined;
}

/** The one user of the application holding an `external_user_id` (`externalIdHolder`), else 404. */
export async function findUserByExternalId(deps: Pick<Deps, 'repositories'>, applicationId: number, externalId: number): Promise<AppUserRecord> {
  const user = await externalIdHolder(deps, applicationId, externalId);
  if (!user) throw noSuchUser();
  return user;
}

