import type { components } from '../../generated/openapi.js';
import { appUserAccount, guardedPassword } from '../auth/attempts.js';
import type { ApplicationRecord } from '../db/repositories/applications.js';
import type { AppUserRecord } from '../db/repositories/app-users.js';
import type { Deps } from '../deps.js';
import { createAppUser, updateAppUser } from '../domain/app-users.js';
import { Conflict } from '../errors.js';
import { verifyPassword } from '../secrets/passwords.js';
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
    last_request_at: null,
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

function reserveMe(login: string | undefined): void {
  // `/{org}/{app}/users/me` names the caller there, so no user may be called `me`.
  if (login?.toLowerCase() === 'me') throw new FieldRefused('login', 'is reserved');
}

/** A unique index refused the user: QuickBlox says which field (reference §8: `{"errors":{"login":["has already been taken"]}}`). */
async function takenField(deps: Pick<Deps, 'repositories'>, applicationId: number, login: string | undefined, error: unknown): Promise<never> {
  if (!(error instanceof Conflict)) throw error;
  const loginTaken = login !== undefined && (await deps.repositories.appUsers.find(applicationId, login)) !== undefined;
  throw new FieldRefused(loginTaken ? 'login' : 'email', 'has already been taken');
}

/** Sign-up: `login` or `email` (a user without a login is known by their email), and a password. */
export async function signUp(deps: Pick<Deps, 'repositories' | 'clock' | 'config'>, application: ApplicationRecord, input: NewUserFields): Promise<AppUserRecord> {
  const login = input.login ?? input.email;
  if (login === undefined) throw new FieldRefused('base', 'login or email is required');
  // Usernames are at most 64 characters; emails may be longer.
  if (login.length > 64) throw new FieldRefused('login', 'is required when the email is longer than 64 characters');
  reserveMe(login);
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
  deps: Pick<Deps, 'repositories' | 'clock' | 'config' | 'tokens' | 'grants' | 'throttle'>,
  user: AppUserRecord,
  input: UserChanges,
  ip: string,
): Promise<AppUserRecord> {
  reserveMe(input.login);
  if (input.password !== undefined) {
    const oldPassword = input.old_password;
    if (oldPassword === undefined) throw new FieldRefused('old_password', "can't be blank");
    // Counted with the user's sign-ins: one account, one set of counters.
    const attempt = { kind: 'user-password', account: appUserAccount(user), login: user.username, realm: `app:${user.applicationId}`, ip, applicationId: user.applicationId } as const;
    await guardedPassword({ throttle: deps.throttle, auditEvents: deps.repositories.auditEvents, clock: deps.clock }, attempt, async () => {
      if (!(await verifyPassword(oldPassword, user.passwordHash))) throw new WrongOldPassword();
    });
  }
  return updateAppUser(deps, user, asAppUserFields(input)).catch((error: unknown) => takenField(deps, user.applicationId, input.login, error));
}
