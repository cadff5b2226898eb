import { randomUUID } from 'node:crypto';
import type { Principal } from '../auth/principal.js';
import { appUserAccount } from '../auth/attempts.js';
import type { ApplicationRecord } from '../db/repositories/applications.js';
import type { AppUserPatch, AppUserRecord } from '../db/repositories/app-users.js';
import { onDuplicate } from '../db/duplicates.js';
import type { Deps } from '../deps.js';
import { ApiError, Conflict, InvalidGrant, NotFound } from '../errors.js';
import { checkEntitySize, storageQuotaOf, storageQuotaOfId } from './storage.js';
import { decoyPasswordHash, hashPassword, verifyPassword } from '../secrets/passwords.js';
import { checkUsername } from './usernames.js';

/** The fields a user has of its own (and `oldpassword`, the proof that goes with a new password); everything else a client sends is kept in `properties`. */
const ownFields = new Set(['username', 'email', 'password', 'oldpassword', 'name', 'activated']);
/** Set by the server; a client cannot set them. */
const serverFields = new Set(['uuid', 'type', 'id', 'created', 'modified', 'metadata']);

/**
 * 400 `invalid_grant`, as a wrong password is answered everywhere in Tessera (Usergrid answers
 * `auth_invalid_username_or_password` here; Tessera keeps one stable set of codes, no `auth_*`).
 */
export class WrongCurrentPassword extends ApiError {
  constructor() {
    super(400, 'invalid_grant', 'The old password does not match');
  }
}

function extraProperties(input: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(input).filter(([k]) => !ownFields.has(k) && !serverFields.has(k)));
}

/** Another user of the application holds this `external_user_id` (QuickBlox finds users by it). */
export class ExternalIdTaken extends Conflict {
  constructor() {
    super('Another user of the application holds that external_user_id');
  }
}

const usernameOrEmailTaken = onDuplicate((duplicate) =>
  duplicate.field === 'external_user_id' ? new ExternalIdTaken() : new Conflict('A user with that username or email already exists'),
);

export interface NewAppUser {
  username: string;
  email?: string;
  password: string;
  name?: string;
  [property: string]: unknown;
}

export async function createAppUser(deps: Pick<Deps, 'repositories' | 'clock' | 'config'>, application: ApplicationRecord, input: NewAppUser): Promise<AppUserRecord> {
  checkUsername(input.username);
  // A user's other properties are bounded as an entity is (users are listed in pages too).
  checkEntitySize(deps.config, null, extraProperties(input));
  const passwordHash = await hashPassword(input.password, deps.config.scryptCost);
  const now = deps.clock.now();
  return deps.repositories.appUsers
    .insert({
      uuid: randomUUID(), applicationId: application.id, username: input.username, email: input.email ?? null, name: input.name ?? null,
      passwordHash, activated: true, properties: extraProperties(input), passwordChangedAt: now, createdAt: now, modifiedAt: now,
    }, storageQuotaOf(deps.config, application))
    .catch(usernameOrEmailTaken);
}

/**
 * Checks an application user's username (or email, or uuid) and password, under the brute-force
 * guard. The user is looked up first so that every login of one account counts against that
 * account; a missing user costs the same scrypt and the same counting as a wrong password, so
 * neither timing nor throttling tells which usernames exist.
 */
export async function authenticateAppUser(
  deps: Pick<Deps, 'repositories' | 'config' | 'bruteForceGuard'>,
  application: Pick<ApplicationRecord, 'id'> & Partial<Pick<ApplicationRecord, 'organizationId'>>,
  login: string,
  password: string,
  ip: string,
): Promise<AppUserRecord> {
  const user = await deps.repositories.appUsers.find(application.id, login);
  const attempt = {
    kind: 'user-password', login, realm: `app:${application.id}`, ip, applicationId: application.id, organizationId: application.organizationId ?? null,
    ...(user && { account: appUserAccount(user) }),
  } as const;
  return deps.bruteForceGuard.password(attempt, async () => {
    const ok = await verifyPassword(password, user?.passwordHash ?? (await decoyPasswordHash(deps.config.scryptCost)));
    // A deactivated account gets the answer of a wrong password, and counts as one: neither the
    // answer nor the throttle tells a password guesser that they found it (issue 15, Usergrid
    // answers "user not activated").
    if (!user || !ok || !user.activated) throw new InvalidGrant('invalid username or password');
    return user;
  });
}

/**
 * A password change, a deactivation or a deletion revokes the user's tokens once, when it lands. A
 * sign-in that checked the account just before it, but stored its token just after, would slip past
 * that revocation (an attacker signing in over and over with a stolen password would keep a token
 * after the owner changed it). So what a sign-in issues is checked against the account again once
 * it is stored: when the account has moved on, `revokeIssued` undoes it and the sign-in fails as it
 * would have a moment later. A revocation and this check cannot both miss: whichever lands second
 * sees the other.
 */
export async function keepIfAccountUnchanged(deps: Pick<Deps, 'repositories'>, checked: AppUserRecord, revokeIssued: () => Promise<unknown>): Promise<void> {
  const current = await deps.repositories.appUsers.findById(checked.id);
  if (current?.activated && current.passwordHash === checked.passwordHash) return;
  await revokeIssued();
  throw new InvalidGrant('invalid username or password');
}

export async function findAppUser(deps: Pick<Deps, 'repositories'>, application: ApplicationRecord, ref: string): Promise<AppUserRecord> {
  const user = await deps.repositories.appUsers.find(application.id, ref);
  if (!user) throw new NotFound(`No user ${ref}`, 'entity_not_found');
  return user;
}

/** `findAppUser`, where `me` names the calling application user (Usergrid's `/users/me`). */
export async function findAppUserAs(deps: Pick<Deps, 'repositories'>, application: ApplicationRecord, ref: string, principal: Principal): Promise<AppUserRecord> {
  if (ref !== 'me') return findAppUser(deps, application, ref);
  const own = principal.kind === 'appUser' && principal.applicationId === application.id && principal.userId !== undefined;
  const user = own ? await deps.repositories.appUsers.findById(principal.userId!) : undefined;
  if (!user) throw new NotFound('No user me: "me" names the signed-in application user', 'entity_not_found');
  return user;
}

/**
 * The token a user's own password change leaves alive: the one that sent it. Its holder has just
 * proved the current password, so signing out the very device that made the change protects
 * nothing, while every other token (a thief's among them) still dies. An admin's change, or a
 * change through a token that is not the user's own, spares nothing.
 */
export function tokenToKeep(principal: Principal, user: AppUserRecord): number | undefined {
  const own = principal.kind === 'appUser' && principal.userId === user.id;
  return own ? principal.credential.token?.id : undefined;
}

/**
 * Changes a user; properties not sent are kept. A new password revokes every token the user holds
 * but `keepTokenId` (see `tokenToKeep`), a deactivation every one, effective on the very next request.
 */
export async function updateAppUser(
  deps: Pick<Deps, 'repositories' | 'clock' | 'config' | 'tokens' | 'permissionCache'>,
  user: AppUserRecord,
  input: Record<string, unknown>,
  keepTokenId?: number,
): Promise<AppUserRecord> {
  if (typeof input.username === 'string') checkUsername(input.username);
  const now = deps.clock.now();
  const patch: AppUserPatch = { properties: { ...user.properties, ...extraProperties(input) } };
  checkEntitySize(deps.config, null, patch.properties!);
  if (typeof input.username === 'string') patch.username = input.username;
  if (typeof input.email === 'string') patch.email = input.email;
  if (typeof input.name === 'string') patch.name = input.name;
  if (typeof input.activated === 'boolean') patch.activated = input.activated;
  if (typeof input.password === 'string') {
    patch.passwordHash = await hashPassword(input.password, deps.config.scryptCost);
    patch.passwordChangedAt = now;
  }
  await deps.repositories.appUsers.update(user.id, patch, now, await storageQuotaOfId(deps, user.applicationId)).catch(usernameOrEmailTaken);
  if (patch.activated === false) await deps.tokens.revokeWhere({ subjectKind: 'user', subjectId: user.id });
  else if (patch.passwordHash !== undefined) {
    await deps.tokens.revokeWhere({ subjectKind: 'user', subjectId: user.id, ...(keepTokenId !== undefined && { exceptId: keepTokenId }) });
  }
  // `${user}` in a permission names the user by username too.
  if (patch.username !== undefined) deps.permissionCache.changed(user.applicationId);
  return (await deps.repositories.appUsers.findById(user.id))!;
}

/**
 * The owner of an account proves its current password before setting a new one (an application
 * admin need not), checked under the brute-force throttle shared with every other password check:
 * a stolen session must not become a password oracle, nor a way to take the account over.
 */
export async function proveCurrentPassword(
  deps: Pick<Deps, 'bruteForceGuard'>,
  user: AppUserRecord,
  currentPassword: unknown,
  ip: string,
  wrong: () => ApiError = () => new WrongCurrentPassword(),
): Promise<void> {
  if (typeof currentPassword !== 'string' || currentPassword === '') throw wrong();
  // Counted with the user's sign-ins: one account, one set of counters.
  const attempt = { kind: 'user-password', account: appUserAccount(user), login: user.username, realm: `app:${user.applicationId}`, ip, applicationId: user.applicationId } as const;
  await deps.bruteForceGuard.password(attempt, async () => {
    if (!(await verifyPassword(currentPassword, user.passwordHash))) throw wrong();
  });
}

/** Deletes a user (with their permissions and memberships); the user's tokens stop working at once. */
export async function deleteAppUser(deps: Pick<Deps, 'repositories' | 'tokens' | 'permissionCache'>, user: AppUserRecord): Promise<void> {
  await deps.tokens.revokeWhere({ subjectKind: 'user', subjectId: user.id });
  await deps.repositories.appUsers.delete(user.id);
  deps.permissionCache.changed(user.applicationId);
}
