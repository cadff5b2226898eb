/**
 * Roles, groups and path permissions of the demo application: /{org}/{app}/roles…,
 * /{org}/{app}/users/{user}/permissions and /roles…, /{org}/{app}/groups….
 *
 * Whatever a transaction changes or deletes is made for it (a fresh role, group or user), so the
 * built-in roles other hooks rely on stay as they are. Refusals: an unknown token (401) and an
 * admin of another organization (403), whose requests never reach the handler.
 */
import hooks = require('hooks');
import fixturesModule = require('../support/fixtures.cjs');
import requests = require('../support/requests.cjs');
import type { ContractSeed } from '../server.js' with { 'resolution-mode': 'import' };

type Transaction = hooks.Transaction;
const { fixtures, unique, freshUser } = fixturesModule;
const { operation, at, withQuery, withBody, step, asSuperuser, asOrgAdmin, asOrgAdminInQuery, asOrgClient, asAppClient, asOutsider, withUnknownToken } = requests;

const seed = JSON.parse(process.env.TESSERA_CONTRACT_SEED ?? '{}') as ContractSeed;
const app = () => `/${fixtures().organization}/${fixtures().application}`;

/** Makes something in the demo application as its organization's admin; fails the hook when refused. */
async function asAdmin(method: string, path: string, json?: unknown): Promise<void> {
  const response = await fetch(seed.url + app() + path, {
    method,
    headers: { authorization: `Bearer ${fixtures().tokens.orgAdmin}`, ...(json !== undefined && { 'content-type': 'application/json' }) },
    ...(json !== undefined && { body: JSON.stringify(json) }),
  });
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
}

const freshRole = async () => {
  const name = unique('role');
  await asAdmin('POST', '/roles', { name });
  return name;
};
const freshGroup = async () => {
  const path = unique('group');
  await asAdmin('POST', '/groups', { path });
  return path;
};

const permission = 'get,put,post:/reviews/**';
const badPermission = 'fly:/reviews';
const noApplication = { app: 'no-such-application' };

/** 401 and 403: refused before anything is looked up, so the path's names need not exist. */
function refusals(name: (status: number) => string, prepare: (t: Transaction) => void = () => {}): void {
  hooks.before(name(401), (t) => { withUnknownToken(t); prepare(t); });
  hooks.before(name(403), (t) => { asOutsider(t); prepare(t); });
}

/** A list: a page of one (so there may be a cursor), a limit out of range, and an unknown application. */
function listHooks(name: (status: number) => string, params: () => Promise<Record<string, string>>): void {
  hooks.before(name(200), step(async (t) => { asAppClient(t); at(t, await params()); withQuery(t, { limit: '1' }); }));
  hooks.before(name(400), (t) => { asAppClient(t); withQuery(t, { limit: '0' }); });
  refusals(name);
  hooks.before(name(404), (t) => { asSuperuser(t); at(t, noApplication); });
}

/** The four permission operations of a role, user or group (`holder` makes one and names it in the path). */
function permissionHooks(path: string, what: string, holder: () => Promise<Record<string, string>>, unknown: Record<string, string>): void {
  const list = operation(path, `List the ${what}'s own permissions`);
  hooks.before(list(200), step(async (t) => { asOrgClient(t); at(t, await holder()); }));
  refusals(list);
  hooks.before(list(404), (t) => { asSuperuser(t); at(t, unknown); });

  for (const summary of [`Give the ${what} a permission`, `Give the ${what} a permission (PUT form)`]) {
    const grant = operation(path, summary);
    hooks.before(grant(200), step(async (t) => { asOrgAdmin(t); at(t, await holder()); withBody(t, { permission }); }));
    hooks.before(grant(400), step(async (t) => { asOrgAdmin(t); at(t, await holder()); withBody(t, { permission: badPermission }); }));
    refusals(grant, (t) => withBody(t, { permission }));
    hooks.before(grant(404), (t) => { asSuperuser(t); at(t, unknown); withBody(t, { permission }); });
  }

  const revoke = operation(path, `Take a permission from the ${what}`);
  const held = async () => {
    const params = await holder();
    const [kind, name] = Object.entries(params)[0]!;
    await asAdmin('POST', `/${kind}s/${name}/permissions`, { permission });
    return params;
  };
  hooks.before(revoke(200), step(async (t) => { asOrgAdminInQuery(t); at(t, await held()); withQuery(t, { permission }); }));
  hooks.before(revoke(400), step(async (t) => { asOrgAdmin(t); at(t, await holder()); withQuery(t, { permission: badPermission }); }));
  refusals(revoke, (t) => withQuery(t, { permission }));
  // Held by nobody: the holder exists, the permission does not.
  hooks.before(revoke(404), step(async (t) => { asOrgAdmin(t); at(t, await holder()); withQuery(t, { permission: 'delete:/never/granted' }); }));
}

/** Adding and removing a link (`POST`/`DELETE` on `…/{a}/{A}/{b}s/{B}`); `link` makes the two ends (and links them for a removal). */
function linkHooks(path: string, add: string, remove: string, ends: (linked: boolean) => Promise<Record<string, string>>, unknown: Record<string, string>): void {
  const adding = operation(path, add);
  hooks.before(adding(200), step(async (t) => { asAppClient(t); at(t, await ends(false)); }));
  refusals(adding);
  hooks.before(adding(404), step(async (t) => { asOrgAdmin(t); at(t, { ...(await ends(false)), ...unknown }); }));

  const removing = operation(path, remove);
  hooks.before(removing(200), step(async (t) => { asOrgAdmin(t); at(t, await ends(true)); }));
  refusals(removing);
  // Both ends exist but are not linked.
  hooks.before(removing(404), step(async (t) => { asOrgAdmin(t); at(t, await ends(false)); }));
}

// ── Roles ────────────────────────────────────────────────────────────────────────────────────────

listHooks(operation('/{org}/{app}/roles', "List the application's roles"), async () => ({}));

const createRole = operation('/{org}/{app}/roles', 'Create a role');
hooks.before(createRole(200), (t) => { asOrgAdmin(t); withBody(t, { name: unique('role'), title: 'Reviewer' }); });
hooks.before(createRole(400), (t) => { asOrgAdmin(t); withBody(t, { name: 'not a name' }); });
refusals(createRole, (t) => withBody(t, { name: unique('role') }));
hooks.before(createRole(404), (t) => { asSuperuser(t); at(t, noApplication); withBody(t, { name: unique('role') }); });
hooks.before(createRole(409), (t) => { asOrgAdmin(t); withBody(t, { name: 'Default' }); });

const getRole = operation('/{org}/{app}/roles/{role}', 'Read a role by name or uuid');
hooks.before(getRole(200), (t) => { asAppClient(t); at(t, { role: 'guest' }); });
refusals(getRole);
hooks.before(getRole(404), (t) => { asOrgAdmin(t); at(t, { role: 'no-such-role' }); });

const updateRole = operation('/{org}/{app}/roles/{role}', "Change a role's title");
hooks.before(updateRole(200), step(async (t) => { asOrgAdmin(t); at(t, { role: await freshRole() }); withBody(t, { title: 'Book reviewer' }); }));
hooks.before(updateRole(400), step(async (t) => { asOrgAdmin(t); at(t, { role: await freshRole() }); withBody(t, { inactivity: 1800 }); }));
refusals(updateRole, (t) => withBody(t, { title: 'Intruder' }));
hooks.before(updateRole(404), (t) => { asOrgAdmin(t); at(t, { role: 'no-such-role' }); withBody(t, { title: 'Nobody' }); });

const deleteRole = operation('/{org}/{app}/roles/{role}', 'Delete a role');
hooks.before(deleteRole(200), step(async (t) => { asOrgAdmin(t); at(t, { role: await freshRole() }); }));
hooks.before(deleteRole(401), step(async (t) => { withUnknownToken(t); at(t, { role: await freshRole() }); }));
hooks.before(deleteRole(403), step(async (t) => { asOutsider(t); at(t, { role: await freshRole() }); }));
hooks.before(deleteRole(404), (t) => { asOrgAdmin(t); at(t, { role: 'no-such-role' }); });

permissionHooks('/{org}/{app}/roles/{role}/permissions', 'role', async () => ({ role: await freshRole() }), { role: 'no-such-role' });

listHooks(operation('/{org}/{app}/roles/{role}/users', 'List the users given a role'), async () => {
  const role = await freshRole();
  await asAdmin('POST', `/roles/${role}/users/${fixtures().user}`);
  await asAdmin('POST', `/roles/${role}/users/${fixtures().otherUser}`);
  return { role };
});

linkHooks(
  '/{org}/{app}/roles/{role}/users/{user}', 'Give a user a role', 'Take a role from a user',
  async (linked) => {
    const [role, user] = [await freshRole(), await freshUser()];
    if (linked) await asAdmin('POST', `/roles/${role}/users/${user}`);
    return { role, user };
  },
  { user: 'no-such-user' },
);

listHooks(operation('/{org}/{app}/roles/{role}/groups', 'List the groups given a role'), async () => {
  const role = await freshRole();
  for (const group of [await freshGroup(), await freshGroup()]) await asAdmin('POST', `/groups/${group}/roles/${role}`);
  return { role };
});

linkHooks(
  '/{org}/{app}/roles/{role}/groups/{group}', "Give a group a role (from the role's side)", "Take a role from a group (from the role's side)",
  async (linked) => {
    const [role, group] = [await freshRole(), await freshGroup()];
    if (linked) await asAdmin('POST', `/roles/${role}/groups/${group}`);
    return { role, group };
  },
  { group: 'no-such-group' },
);

// ── Users' permissions and roles ────────────────────────────────────────────────────────────────

permissionHooks('/{org}/{app}/users/{user}/permissions', 'user', async () => ({ user: await freshUser() }), { user: 'no-such-user' });

listHooks(operation('/{org}/{app}/users/{user}/roles', "List a user's roles"), async () => {
  const user = await freshUser();
  for (const role of [await freshRole(), await freshRole()]) await asAdmin('POST', `/users/${user}/roles/${role}`);
  return { user };
});

const getUserRole = operation('/{org}/{app}/users/{user}/roles/{role}', "Read one of a user's roles");
hooks.before(getUserRole(200), step(async (t) => {
  const [user, role] = [await freshUser(), await freshRole()];
  await asAdmin('POST', `/users/${user}/roles/${role}`);
  asAppClient(t);
  at(t, { user, role });
}));
refusals(getUserRole);
// The user exists and so does the role, but it is not the user's.
hooks.before(getUserRole(404), (t) => { asOrgAdmin(t); at(t, { user: fixtures().user, role: 'admin' }); });

linkHooks(
  '/{org}/{app}/users/{user}/roles/{role}', "Give a user a role (from the user's side)", "Take a role from a user (from the user's side)",
  async (linked) => {
    const [user, role] = [await freshUser(), await freshRole()];
    if (linked) await asAdmin('POST', `/users/${user}/roles/${role}`);
    return { user, role };
  },
  { role: 'no-such-role' },
);

// ── Groups ──────────────────────────────────────────────────────────────────────────────────────

listHooks(operation('/{org}/{app}/groups', "List the application's groups"), async () => {
  await freshGroup();
  await freshGroup();
  return {};
});

const createGroup = operation('/{org}/{app}/groups', 'Create a group');
hooks.before(createGroup(200), (t) => { asOrgAdmin(t); withBody(t, { path: unique('group'), title: 'Reviewers' }); });
hooks.before(createGroup(400), (t) => { asOrgAdmin(t); withBody(t, { path: 'not a path' }); });
refusals(createGroup, (t) => withBody(t, { path: unique('group') }));
hooks.before(createGroup(404), (t) => { asSuperuser(t); at(t, noApplication); withBody(t, { path: unique('group') }); });
hooks.before(createGroup(409), step(async (t) => { asOrgAdmin(t); withBody(t, { path: await freshGroup() }); }));

const getGroup = operation('/{org}/{app}/groups/{group}', 'Read a group by path or uuid');
hooks.before(getGroup(200), step(async (t) => { asAppClient(t); at(t, { group: await freshGroup() }); }));
refusals(getGroup);
hooks.before(getGroup(404), (t) => { asOrgAdmin(t); at(t, { group: 'no-such-group' }); });

const updateGroup = operation('/{org}/{app}/groups/{group}', "Change a group's title");
hooks.before(updateGroup(200), step(async (t) => { asOrgAdmin(t); at(t, { group: await freshGroup() }); withBody(t, { title: 'Book reviewers' }); }));
hooks.before(updateGroup(400), step(async (t) => { asOrgAdmin(t); at(t, { group: await freshGroup() }); withBody(t, { title: '' }); }));
refusals(updateGroup, (t) => withBody(t, { title: 'Intruders' }));
hooks.before(updateGroup(404), (t) => { asOrgAdmin(t); at(t, { group: 'no-such-group' }); withBody(t, { title: 'Nobody' }); });

const deleteGroup = operation('/{org}/{app}/groups/{group}', 'Delete a group');
hooks.before(deleteGroup(200), step(async (t) => { asOrgAdmin(t); at(t, { group: await freshGroup() }); }));
refusals(deleteGroup);
hooks.before(deleteGroup(404), (t) => { asOrgAdmin(t); at(t, { group: 'no-such-group' }); });

listHooks(operation('/{org}/{app}/groups/{group}/users', "List a group's members"), async () => {
  const group = await freshGroup();
  for (const user of [fixtures().user, fixtures().otherUser]) await asAdmin('POST', `/groups/${group}/users/${user}`);
  return { group };
});

linkHooks(
  '/{org}/{app}/groups/{group}/users/{user}', 'Add a user to a group', 'Remove a user from a group',
  async (linked) => {
    const [group, user] = [await freshGroup(), await freshUser()];
    if (linked) await asAdmin('POST', `/groups/${group}/users/${user}`);
    return { group, user };
  },
  { user: 'no-such-user' },
);

listHooks(operation('/{org}/{app}/groups/{group}/roles', "List a group's roles"), async () => {
  const group = await freshGroup();
  for (const role of ['admin', 'guest']) await asAdmin('POST', `/groups/${group}/roles/${role}`);
  return { group };
});

linkHooks(
  '/{org}/{app}/groups/{group}/roles/{role}', 'Give a group a role', 'Take a role from a group',
  async (linked) => {
    const [group, role] = [await freshGroup(), await freshRole()];
    if (linked) await asAdmin('POST', `/groups/${group}/roles/${role}`);
    return { group, role };
  },
  { role: 'no-such-role' },
);

permissionHooks('/{org}/{app}/groups/{group}/permissions', 'group', async () => ({ group: await freshGroup() }), { group: 'no-such-group' });
