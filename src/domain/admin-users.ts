import { randomBytes, randomUUID } from 'node:crypto';
import type { Principal } from '../auth/principal.js';
import { adminAccount } from '../auth/attempts.js';
import type { AdminUserRecord } from '../db/repositories/admin-users.js';
import type { OrganizationRecord } from '../db/repositories/organizations.js';
import { onDuplicate } from '../db/duplicates.js';
import type { Deps, Transaction } from '../deps.js';
import { Conflict, IllegalArgument, InvalidGrant, NotFound } from '../errors.js';
import { decoyPasswordHash, hashPassword, verifyPassword } from '../secrets/passwords.js';

/**
 * Checks an admin's username (or email, or uuid) and password, under the brute-force guard, the
 * superuser's included. The admin is looked up first so that every login of one account counts
 * against that account; a missing admin costs the same scrypt and the same counting as a wrong
 * password, so neither timing nor throttling tells which usernames exist.
 */
export async function authenticateAdmin(
  deps: Pick<Deps, 'repositories' | 'config' | 'bruteForceGuard'>,
  login: string,
  password: string,
  ip: string,
): Promise<AdminUserRecord> {
  const admin = await deps.repositories.adminUsers.find(login);
  const attempt = { kind: 'admin-password', login, realm: 'admins', ip, ...(admin && { account: adminAccount(admin) }) } as const;
  return deps.bruteForceGuard.password(attempt, async () => {
    const ok = await verifyPassword(password, admin?.passwordHash ?? (await decoyPasswordHash(deps.config.scryptCost)));
    // A deactivated admin gets the answer of a wrong password, as an application user does.
    if (!admin || !ok || !admin.activated) throw new InvalidGrant('invalid username or password');
    return admin;
  });
}

/**
 * Keeps a token issued to an admin for the account as it was at the password check only if the
 * account has not moved on since: a password change or deactivation revokes every token once, and
 * a sign-in that checked the old password just before it and stored its token just after would
 * otherwise outlive the change (found by an attacker run). As `keepIfAccountUnchanged` for users.
 */
export async function keepIfAdminUnchanged(deps: Pick<Deps, 'repositories'>, checked: AdminUserRecord, revokeIssued: () => Promise<unknown>): Promise<void> {
  const current = await deps.repositories.adminUsers.findById(checked.id);
  if (current?.activated && current.passwordHash === checked.passwordHash) return;
  await revokeIssued();
  throw new InvalidGrant('invalid username or password');
}

/**
 * Makes sure the superuser exists. Its password comes from the configuration; when none is
 * configured on the first start, one is generated and returned so the caller can print it once.
 */
export async function ensureSuperuser(deps: Pick<Deps, 'repositories' | 'config' | 'clock'>): Promise<{ created: boolean; generatedPassword?: string }> {
  const existing = await deps.repositories.adminUsers.findSuperuser();
  const now = deps.clock.now();
  if (existing) {
    // A configured password wins over the stored one, so an operator can always get back in.
    if (deps.config.superuserPassword && !(await verifyPassword(deps.config.superuserPassword, existing.passwordHash))) {
      await deps.repositories.adminUsers.setPassword(existing.id, await hashPassword(deps.config.superuserPassword, deps.config.scryptCost), now);
    }
    return { created: false };
  }
  const generatedPassword = deps.config.superuserPassword ? undefined : randomBytes(18).toString('base64url');
  const password = deps.config.superuserPassword ?? generatedPassword!;
  await deps.repositories.adminUsers.insert({
    uuid: randomUUID(),
    username: deps.config.superuserUsername,
    email: `${deps.config.superuserUsername}@localhost`,
    name: 'Superuser',
    passwordHash: await hashPassword(password, deps.config.scryptCost),
    superuser: true,
    activated: true,
    passwordChangedAt: now,
    createdAt: now,
    modifiedAt: now,
  });
  return { created: true, ...(generatedPassword && { generatedPassword }) };
}

/** An admin user by uuid, username or email; `me` names the calling admin. */
export async function findAdminUserAs(deps: Pick<Deps, 'repositories'>, ref: string, principal: Principal): Promise<AdminUserRecord> {
  const callerIsAdmin = (principal.kind === 'superuser' || principal.kind === 'orgAdmin') && principal.userId !== undefined;
  let admin: AdminUserRecord | undefined;
  if (ref !== 'me') admin = await deps.repositories.adminUsers.find(ref);
  else if (callerIsAdmin) admin = await deps.repositories.adminUsers.findById(principal.userId!);
  if (!admin) throw new NotFound(`Could not find admin user ${ref}`, 'entity_not_found');
  return admin;
}

/**
 * Sets an admin's password. The admin themselves proves the current one (`oldpassword`), under the
 * brute-force guard like a sign-in, so a stolen token is neither a password oracle nor a way to take
 * the account over; the superuser need not. Every token of the admin is revoked but `keepTokenId`
 * (the token the admin sent the change with; see `tokenToKeep` of application users). API tokens
 * the admin made are the organization's, not the admin's, and keep working.
 */
export async function changeAdminPassword(
  deps: Pick<Deps, 'repositories' | 'config' | 'clock' | 'tokens' | 'bruteForceGuard'>,
  admin: AdminUserRecord,
  change: { newpassword: string; oldpassword?: string },
  proof: { required: boolean; ip: string; keepTokenId?: number },
): Promise<void> {
  if (proof.required) {
    const oldPassword = change.oldpassword;
    // No password at all is no guess: refused before the guard, as for application users.
    if (!oldPassword) throw new InvalidGrant('The old password does not match');
    const attempt = { kind: 'admin-password', login: admin.username, realm: 'admins', ip: proof.ip, account: adminAccount(admin) } as const;
    await deps.bruteForceGuard.password(attempt, async () => {
      if (!(await verifyPassword(oldPassword, admin.passwordHash))) throw new InvalidGrant('The old password does not match');
    });
  }
  await deps.repositories.adminUsers.setPassword(admin.id, await hashPassword(change.newpassword, deps.config.scryptCost), deps.clock.now());
  await deps.tokens.revokeWhere({ subjectKind: 'admin', subjectId: admin.id, ...(proof.keepTokenId !== undefined && { exceptId: proof.keepTokenId }) });
}

/**
 * Changes an admin's name or email. The username stays: it is how the admin signs in, Tessera's
 * tokens do not depend on it but people and scripts do; a body that repeats the current one (a
 * client sending the record back) is accepted. An email another admin has is 409.
 */
export async function updateAdminUser(
  deps: Pick<Deps, 'repositories' | 'clock'>,
  admin: AdminUserRecord,
  change: { name?: string; email?: string; username?: string },
): Promise<AdminUserRecord> {
  if (change.username !== undefined && change.username !== admin.username) throw new IllegalArgument("An admin user's username cannot be changed");
  const updated = await deps.repositories.adminUsers
    .update(admin.id, { name: change.name, email: change.email }, deps.clock.now())
    .catch(onDuplicate(() => new Conflict('An admin user with that email already exists')));
  // Only a concurrent deletion could take the row away; admins are never deleted, but fail closed.
  if (!updated) throw new NotFound(`Could not find admin user ${admin.username}`, 'entity_not_found');
  return updated;
}

/**
 * The admin user `ref` names, as one to make an admin of an organization: the superuser may name
 * any; an organization's admin only themselves or an admin they already share an organization
 * with. Anyone else is not found, as if there were none: otherwise every admin could look up any
 * admin account by name or email and, by adding it unasked, read its sign-in failures in their own
 * organization's audit events.
 */
export async function findAdminUserToAdd(deps: Pick<Deps, 'repositories'>, ref: string, principal: Principal): Promise<AdminUserRecord> {
  const admin = await findAdminUserAs(deps, ref, principal);
  if (principal.kind === 'superuser' || admin.id === principal.userId) return admin;
  const callers = principal.userId === undefined ? [] : await deps.repositories.organizations.listForAdmin(principal.userId);
  const theirs = new Set((await deps.repositories.organizations.listForAdmin(admin.id)).map((o) => o.id));
  if (!callers.some((o) => theirs.has(o.id))) throw new NotFound(`Could not find admin user ${ref}`, 'entity_not_found');
  return admin;
}

/**
 * Makes an existing admin user an admin of the organization; one who already is stays so. Not the
 * superuser: it administers every organization already, and membership would only make it count as
 * the organization's admin (so its last real admin could leave) and show its account to the
 * organization's admins.
 */
export async function addOrganizationAdmin(deps: Pick<Deps, 'repositories'>, organization: OrganizationRecord, admin: AdminUserRecord): Promise<void> {
  if (admin.superuser) throw new IllegalArgument('The superuser administers every organization already; it is no admin of one');
  await deps.repositories.organizations.addAdmin(organization.id, admin.id);
}

/**
 * Takes the admin out of the organization, in one transaction that refuses to leave it without an
 * admin (see `removeAdminUnlessLast` for why two removals at once cannot both pass). Nothing of the
 * admin's is cached with the organization: the authorization step reads membership from the
 * database on every request, so their tokens lose the organization at once, on every instance.
 */
export async function removeOrganizationAdmin(
  deps: Pick<Deps, 'transaction'>,
  organization: OrganizationRecord,
  admin: AdminUserRecord,
  /** Called inside the transaction once the admin is out, to record it with the change (or not at all). */
  removed: (tx: Transaction) => Promise<void> = async () => {},
): Promise<void> {
  const outcome = await deps.transaction(async (tx) => {
    const result = await tx.organizations.removeAdminUnlessLast(organization.id, admin.id);
    if (result === 'removed') await removed(tx);
    return result;
  });
  switch (outcome) {
    case 'removed':
      return;
    case 'last':
      throw new Conflict(`${admin.username} is the last admin of ${organization.name}; an organization must keep at least one admin`, 'unable_to_leave_organization');
    case 'not an admin':
      throw new NotFound(`${admin.username} is not an admin of ${organization.name}`, 'entity_not_found');
    default:
      throw new Error(`unexpected outcome ${String(outcome)}`);
  }
}
