/**
 * The data the contract tests run against, made through the running API: the demo organization
 * seeded by `server.ts`, plus what `setUp` adds before the first transaction (admin tokens, an
 * organization the demo admin does not belong to, a second user and two cats, so lists have a
 * second page), plus throw-away things made for one transaction each (`fresh*`).
 *
 * Like the unit tests' fixtures, these calls go through a client typed from generated/, so a spec
 * change that breaks them breaks the build rather than the contract run.
 */
import crypto = require('node:crypto');
import type { Client } from 'openapi-fetch' with { 'resolution-mode': 'import' };
import type { paths } from '../../generated/openapi.js' with { 'resolution-mode': 'import' };
import type { ContractSeed } from '../server.js' with { 'resolution-mode': 'import' };

type Tessera = Client<paths>;

interface ClientCredentials {
  client_id: string;
  client_secret: string;
}

interface Fixtures {
  /** The organization, application, user and entity the spec's parameter examples name. */
  organization: string;
  /** Its admin's username and password. */
  admin: { username: string; password: string };
  application: string;
  user: string;
  collection: string;
  entity: string;
  /** Another user and another entity of the same application, for paging and name clashes. */
  otherUser: string;
  otherEntity: string;
  orgClient: ClientCredentials;
  appClient: ClientCredentials;
  tokens: {
    superuser: string;
    /** An admin of the demo organization. */
    orgAdmin: string;
    /** An admin of another organization: authenticated, but not allowed into the demo one. */
    outsider: string;
  };
}

/** Set by `run.ts` from what `server.ts` reported. */
function readSeed(): ContractSeed {
  const text = process.env.TESSERA_CONTRACT_SEED;
  if (!text) throw new Error('TESSERA_CONTRACT_SEED is not set; run the contract tests with `npm run test:contract`');
  return JSON.parse(text) as ContractSeed;
}

const seed = readSeed();
let state: Fixtures | undefined;
/** Why `setUp` failed, for every hook that then cannot do its job. */
let setUpFailure: string | undefined;
// openapi-fetch's CommonJS typings say `export = createClient` but its CommonJS build exports
// `.default`; its ES module agrees with its typings, so setUp loads that one with import().
let createClient: typeof import('openapi-fetch', { with: { 'resolution-mode': 'import' } }).default | undefined;

/** The fixtures, once `setUp` has made them. */
function fixtures(): Fixtures {
  if (!state) throw new Error(`the fixtures were not set up: ${setUpFailure ?? 'setUp() has not run'}`);
  return state;
}

const run = crypto.randomBytes(3).toString('hex');
let counter = 0;
/** A name no other transaction (or earlier run against the same server) uses; valid as any Tessera name. */
function unique(prefix: string): string {
  counter += 1;
  return `${prefix}-${run}-${counter}`;
}

/** The typed client, as the holder of `token` (anonymous without one). */
function api(token?: string): Tessera {
  if (!createClient) throw new Error('the API client is not loaded yet');
  return createClient<paths>({ baseUrl: seed.url, ...(token && { headers: { authorization: `Bearer ${token}` } }) });
}

/** The data of a 2xx answer; anything else is an error that names the request. */
async function ok<T>(what: string, request: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await request;
  if (data === undefined) throw new Error(`fixture request (${what}) answered ${response.status}: ${JSON.stringify(error)}`);
  return data;
}

async function login(credentials: { username: string; password: string }): Promise<string> {
  const data = await ok(`sign in as ${credentials.username}`, api().POST('/management/token', { body: { grant_type: 'password', ...credentials } }));
  return data.access_token;
}

/** A new admin user's details (the password is long enough for every password rule). */
function newAdmin(prefix: string) {
  const username = unique(prefix);
  return { username, email: `${username}@contract.example`, password: `${username}-password` };
}

async function createOrganization(token: string, organization: string, admin: ReturnType<typeof newAdmin>): Promise<void> {
  await ok(`create organization ${organization}`, api(token).POST('/management/orgs', { body: { organization, ...admin } }));
}

async function createUser(f: Fixtures): Promise<string> {
  const username = unique('user');
  await ok(
    `create user ${username}`,
    api(f.tokens.orgAdmin).POST('/{org}/{app}/users', {
      params: { path: { org: f.organization, app: f.application } },
      // email and name too: the spec's User has them optional, and the checks should see them.
      body: { username, email: `${username}@contract.example`, password: `${username}-password`, name: `User ${username}` },
    }),
  );
  return username;
}

/** Makes a cat; `mayExist` accepts a 409 (a fixed name made by an earlier run against the same server). */
async function createEntity(f: Fixtures, name: string, mayExist = false): Promise<string> {
  const { data, response } = await api(f.tokens.orgAdmin).POST('/{org}/{app}/{collection}', {
    params: { path: { org: f.organization, app: f.application, collection: f.collection } },
    body: { name, color: 'ginger', lives: 9 },
  });
  if (!data && !(mayExist && response.status === 409)) throw new Error(`fixture request (create entity ${name}) answered ${response.status}`);
  return name;
}

/** Makes everything the hooks share; runs once, before the first transaction. */
async function setUp(): Promise<Fixtures> {
  try {
    return await makeFixtures();
  } catch (error) {
    // fetch's own message ("fetch failed") hides the reason in `cause` (ECONNREFUSED…).
    const cause = error instanceof Error && error.cause ? ` (${String(error.cause)})` : '';
    setUpFailure = `${error instanceof Error ? error.message : String(error)}${cause}`;
    throw new Error(setUpFailure);
  }
}

async function makeFixtures(): Promise<Fixtures> {
  createClient = (await import('openapi-fetch')).default;
  const { demo } = seed;
  const [superuser, orgAdmin] = await Promise.all([login(seed.superuser), login(demo.admin)]);

  const outsider = newAdmin('outsider-admin');
  await createOrganization(superuser, unique('outsider'), outsider);

  const partial: Fixtures = {
    organization: demo.organization.name,
    admin: demo.admin,
    application: demo.application.name,
    user: demo.user.username,
    collection: 'cats',
    entity: 'tom',
    otherUser: '',
    otherEntity: '',
    orgClient: { client_id: demo.organization.clientId, client_secret: demo.organization.clientSecret },
    appClient: { client_id: demo.application.clientId, client_secret: demo.application.clientSecret },
    tokens: { superuser, orgAdmin, outsider: await login(outsider) },
  };
  // `tom` first, so it heads the list of cats.
  await createEntity(partial, partial.entity, true);
  const [otherUser, otherEntity] = await Promise.all([createUser(partial), createEntity(partial, unique('cat'))]);
  state = { ...partial, otherUser, otherEntity };
  return state;
}

/** A user of the demo application made for one transaction (one that changes or deletes it). */
const freshUser = (): Promise<string> => createUser(fixtures());

/** A cat made for one transaction. */
const freshEntity = (): Promise<string> => createEntity(fixtures(), unique('cat'));

/** An application of the demo organization made for one transaction. */
async function freshApplication(): Promise<string> {
  const f = fixtures();
  const name = unique('app');
  const request = api(f.tokens.orgAdmin).POST('/management/orgs/{org}/apps', { params: { path: { org: f.organization } }, body: { name } });
  await ok(`create application ${name}`, request);
  return name;
}

/** An organization (administered by the superuser) made for one transaction. */
async function freshOrganization(): Promise<string> {
  const name = unique('org');
  await createOrganization(fixtures().tokens.superuser, name, newAdmin(`${name}-admin`));
  return name;
}

/** An admin user made for one transaction, with the organization they own (and alone administer). */
async function freshAdminUser(): Promise<{ organization: string; username: string; email: string }> {
  const organization = unique('org');
  const admin = newAdmin(`${organization}-admin`);
  await createOrganization(fixtures().tokens.superuser, organization, admin);
  return { organization, username: admin.username, email: admin.email };
}

/** An organization made for one transaction with a second admin, the demo organization's: either may be removed. */
async function freshOrganizationWithTwoAdmins(): Promise<string> {
  const f = fixtures();
  const { organization } = await freshAdminUser();
  const request = api(f.tokens.superuser).PUT('/management/orgs/{org}/users/{user}', { params: { path: { org: organization, user: f.admin.username } } });
  await ok(`add ${f.admin.username} to ${organization}`, request);
  return organization;
}

/**
 * A username whose sign-ins the server currently refuses with 429: wrong passwords until the
 * throttle steps in (whatever its number of free attempts). The next attempt, made at once, must
 * wait too. A name of its own, so no other sign-in is slowed down.
 */
async function throttledUsername(): Promise<string> {
  const username = unique('guesser');
  for (let attempt = 1; attempt <= 50; attempt += 1) {
    const { response } = await api().POST('/management/token', { body: { grant_type: 'password', username, password: 'wrong-password' } });
    if (response.status === 429) return username;
    if (response.status !== 400) throw new Error(`a wrong password for ${username} answered ${response.status}, not 400 or 429`);
  }
  throw new Error(`50 wrong passwords for ${username} and still no 429`);
}

/**
 * A client id whose secrets the server refuses with 429 for at least the next two seconds: wrong
 * secrets in the query string of a Usergrid request until the throttle steps in (whatever its
 * number of free attempts). Made-up client ids share one counter per source address, which earlier
 * hooks have already pushed into back-off: a 429 whose wait is nearly over (`Retry-After: 1`) is
 * waited out and guessed past, each failure doubling the next wait, so the transaction that follows
 * at once meets a 429 too. It slows down no known client.
 */
async function throttledClient(): Promise<ClientCredentials> {
  const guess = { client_id: `YXA6${unique('guesser')}`, client_secret: 'wrong-secret' };
  const params = { path: { org: fixtures().organization, app: fixtures().application }, query: guess };
  for (let attempt = 1; attempt <= 50; attempt += 1) {
    const { response } = await api().GET('/{org}/{app}/users', { params });
    if (response.status === 429) {
      const wait = Number(response.headers.get('retry-after'));
      if (wait >= 2) return guess;
      await new Promise((resolve) => setTimeout(resolve, wait * 1000 + 50));
      continue;
    }
    if (response.status !== 401) throw new Error(`a wrong secret for ${guess.client_id} answered ${response.status}, not 401 or 429`);
  }
  throw new Error(`50 wrong secrets for ${guess.client_id} and still no 429 of two seconds or more`);
}

export = {
  setUp, fixtures, unique, newAdmin, freshUser, freshEntity, freshApplication, freshOrganization, freshAdminUser,
  freshOrganizationWithTwoAdmins, throttledUsername, throttledClient,
};
