/**
 * The OAuth 2.0 authorization server: metadata, the authorization endpoint with its login and
 * consent pages (HTML and redirects), the token, revocation and introspection endpoints (JSON and
 * form, two transactions under each name), and the OAuth clients of an application.
 *
 * The demo organization's first-party client `oc_demo-storefront-web` (seeded by `server.ts`) is
 * the client the spec's examples name. Pages are driven as a browser would: an authorization is
 * started with a GET, which sets the browser-binding cookie and puts the interaction value in the
 * page; the hooks carry both into the transaction.
 */
import hooks = require('hooks');
import fixturesModule = require('../support/fixtures.cjs');
import requests = require('../support/requests.cjs');
import type { ContractSeed } from '../server.js' with { 'resolution-mode': 'import' };

type Transaction = hooks.Transaction;
const { fixtures, unique } = fixturesModule;
const { at, withQuery, withBody, step, asSuperuser, asOrgAdmin, asOutsider, withUnknownToken } = requests;

const seed = JSON.parse(process.env.TESSERA_CONTRACT_SEED ?? '{}') as ContractSeed;
const demoClient = () => ({ client_id: seed.demo.oauthClient.clientId, client_secret: seed.demo.oauthClient.clientSecret });

/** Transaction names: `{path} > {summary} > {status}`, then the media type when the response has a body. */
const name = (path: string, summary: string) => (status: number, media?: 'application/json' | 'text/html') =>
  `${path} > ${summary} > ${status}${media ? ` > ${media}` : ''}`;

/** Sets the request body as JSON; for bodies withBody cannot hold (arrays). */
const withJson = (t: Transaction, value: unknown) => {
  t.request.body = JSON.stringify(value);
};

const accept = (t: Transaction, media: string) => {
  t.request.headers.Accept = media;
};

// ── helpers that act as a browser, or as a guesser, before the transaction ────────────────────

interface Interaction {
  interaction: string;
  cookie: string;
}

/** Starts an authorization of the demo client, as a browser does: the page's interaction value and the cookie it set. */
async function startAuthorization(): Promise<Interaction> {
  const query = new URLSearchParams({
    client_id: demoClient().client_id, redirect_uri: seed.demo.oauthClient.redirectUri, response_type: 'code', state: 'contract',
    code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256',
  });
  const response = await fetch(`${seed.url}/oauth/authorize?${query}`, { redirect: 'manual' });
  const page = await response.text();
  const interaction = /name="interaction" value="([^"]+)"/.exec(page)?.[1];
  const cookie = response.headers.get('set-cookie')?.split(';')[0];
  if (response.status !== 200 || !interaction || !cookie) throw new Error(`starting an authorization answered ${response.status}`);
  return { interaction, cookie };
}

function postForm(path: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${seed.url}${path}`, {
    method: 'POST', redirect: 'manual', body: new URLSearchParams(form).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  });
}

/** An authorization whose user (the demo user) has signed in: the consent page is next. */
async function signedInAuthorization(): Promise<Interaction> {
  const started = await startAuthorization();
  const response = await postForm('/oauth/authorize/login', { interaction: started.interaction, ...seed.demo.user }, { cookie: started.cookie });
  if (response.status !== 303) throw new Error(`signing in answered ${response.status}`);
  return started;
}

/** The request as that browser makes it: its cookie, and the form with its interaction value. */
function asBrowser(t: Transaction, browser: Interaction, form: Record<string, string>): void {
  t.request.headers.Cookie = browser.cookie;
  accept(t, 'text/html');
  withBody(t, { interaction: browser.interaction, ...form });
}

/**
 * A client id the server refuses with 429 for at least two more seconds: wrong secrets under it
 * until the throttle steps in. Made-up client ids share one counter per source, which earlier hooks
 * pushed into back-off: a wait nearly over is waited out and guessed past (see `throttledClient`).
 */
async function throttledClientId(path: string, form: Record<string, string>): Promise<string> {
  const clientId = unique('oc_guesser');
  for (let attempt = 1; attempt <= 50; attempt += 1) {
    const response = await postForm(path, { ...form, client_id: clientId, client_secret: 'wrong-secret' });
    if (response.status === 429) {
      const wait = Number(response.headers.get('retry-after'));
      if (wait >= 2) return clientId;
      await new Promise((resolve) => setTimeout(resolve, wait * 1000 + 50));
      continue;
    }
    if (response.status !== 401) throw new Error(`a wrong client secret answered ${response.status}, not 401 or 429`);
  }
  throw new Error(`50 wrong secrets for ${clientId} and still no 429`);
}

/** A username of the demo application whose sign-ins on the login page are refused with 429, and the page it is on. */
async function throttledLogin(): Promise<Interaction & { username: string }> {
  const browser = await startAuthorization();
  const username = unique('guesser');
  for (let attempt = 1; attempt <= 50; attempt += 1) {
    const response = await postForm('/oauth/authorize/login', { interaction: browser.interaction, username, password: 'wrong-password' }, { cookie: browser.cookie });
    if (response.status === 429) return { ...browser, username };
    if (response.status !== 200) throw new Error(`a wrong password on the login page answered ${response.status}, not 200 or 429`);
  }
  throw new Error(`50 wrong passwords for ${username} and still no 429`);
}

/** Fresh tokens of the demo client for the demo user. */
async function demoTokens(): Promise<{ access_token: string; refresh_token: string }> {
  const response = await postForm('/oauth/token', { grant_type: 'password', ...seed.demo.user, ...demoClient() });
  if (response.status !== 200) throw new Error(`the password grant answered ${response.status}`);
  return (await response.json()) as { access_token: string; refresh_token: string };
}

// ── metadata ───────────────────────────────────────────────────────────────────────────────────

const metadata = name('/.well-known/oauth-authorization-server', 'OAuth 2.0 authorization server metadata (RFC 8414)');
// Anonymous, as the spec's example request is. (Dredd runs a hook only when it takes 1 or 2 parameters.)
hooks.before(metadata(200, 'application/json'), (_t) => undefined);
// Without TESSERA_ISSUER, OAuth answers only on loopback: any other Host is refused.
hooks.before(metadata(400, 'application/json'), (t) => { t.request.headers.Host = 'api.example.com'; });

// ── the authorization endpoint and its pages ───────────────────────────────────────────────────

const authorize = name('/oauth/authorize', 'Start an authorization (code flow with PKCE) and show the login or consent page');
hooks.before(authorize(200, 'text/html'), (t) => accept(t, 'text/html'));
hooks.before(authorize(302), (t) => withQuery(t, { response_type: 'token' }));
hooks.before(authorize(400, 'text/html'), (t) => { accept(t, 'text/html'); withQuery(t, { client_id: 'oc_no-such-client' }); });
hooks.before(authorize(400, 'application/json'), (t) => { accept(t, 'application/json'); withQuery(t, { redirect_uri: 'https://evil.example/cb' }); });
// A live interaction, resumed without the cookie of the browser that started it.
const foreignResume = (media: string) => step(async (t) => {
  const { interaction } = await startAuthorization();
  accept(t, media);
  t.fullPath = `/oauth/authorize?${new URLSearchParams({ interaction })}`;
});
hooks.before(authorize(403, 'text/html'), foreignResume('text/html'));
hooks.before(authorize(403, 'application/json'), foreignResume('application/json'));

const login = name('/oauth/authorize/login', "The login page's form");
hooks.before(login(200, 'text/html'), step(async (t) => asBrowser(t, await startAuthorization(), { username: unique('nobody'), password: 'wrong-password' })));
hooks.before(login(303), step(async (t) => asBrowser(t, await startAuthorization(), { ...seed.demo.user })));
/** An interaction value the server never issued (or one that expired): 400. */
const expiredInteraction = (media: string, form: Record<string, string>) => (t: Transaction) => {
  withBody(t, { interaction: 'tsr_oai_never-issued', ...form });
  accept(t, media);
};
const anyLogin = { username: 'alice', password: 'any-password' };
hooks.before(login(400, 'text/html'), expiredInteraction('text/html', anyLogin));
hooks.before(login(400, 'application/json'), expiredInteraction('application/json', anyLogin));
const withoutCookie = (media: string, form: Record<string, string>, signedIn = false) => step(async (t) => {
  const browser = signedIn ? await signedInAuthorization() : await startAuthorization();
  withBody(t, { interaction: browser.interaction, ...form });
  accept(t, media);
});
hooks.before(login(403, 'text/html'), withoutCookie('text/html', { ...seed.demo.user }));
hooks.before(login(403, 'application/json'), withoutCookie('application/json', { ...seed.demo.user }));
hooks.before(login(429, 'text/html'), step(async (t) => {
  const throttled = await throttledLogin();
  asBrowser(t, throttled, { username: throttled.username, password: 'wrong-password' });
}));

const consent = name('/oauth/authorize/consent', "The consent page's form");
// Nobody signed in yet: the login page.
hooks.before(consent(200, 'text/html'), step(async (t) => asBrowser(t, await startAuthorization(), { decision: 'approve' })));
hooks.before(consent(303), step(async (t) => asBrowser(t, await signedInAuthorization(), { decision: 'approve' })));
hooks.before(consent(400, 'text/html'), expiredInteraction('text/html', { decision: 'approve' }));
hooks.before(consent(400, 'application/json'), expiredInteraction('application/json', { decision: 'approve' }));
hooks.before(consent(403, 'text/html'), withoutCookie('text/html', { decision: 'approve' }, true));
hooks.before(consent(403, 'application/json'), withoutCookie('application/json', { decision: 'deny' }, true));

// ── token, revocation and introspection (JSON and form under one name) ─────────────────────────

const token = name('/oauth/token', 'Token endpoint (RFC 6749 §3.2)');
hooks.before(token(200, 'application/json'), (t) => withBody(t, { grant_type: 'password', ...seed.demo.user, ...demoClient() }));
hooks.before(token(400, 'application/json'), (t) => withBody(t, { grant_type: 'urn:example:telepathy', ...demoClient() }));
// No client authentication at all (a wrong demo secret would count towards its throttling).
hooks.before(token(401, 'application/json'), (t) => withBody(t, { grant_type: 'client_credentials' }));
hooks.before(token(429, 'application/json'), step(async (t) => {
  const form = { grant_type: 'client_credentials' };
  withBody(t, { ...form, client_id: await throttledClientId('/oauth/token', form), client_secret: 'wrong-secret' });
}));

const revoke = name('/oauth/revoke', 'Revoke an access or refresh token (RFC 7009)');
hooks.before(revoke(200), step(async (t) => withBody(t, { token: (await demoTokens()).refresh_token, token_type_hint: 'refresh_token', ...demoClient() })));
hooks.before(revoke(400, 'application/json'), (t) => withBody(t, { token: 'tsr_oat_any', token_type_hint: 'id_token', ...demoClient() }));
hooks.before(revoke(401, 'application/json'), (t) => withBody(t, { token: 'tsr_oat_any' }));
hooks.before(revoke(429, 'application/json'), step(async (t) => {
  const form = { token: 'tsr_oat_any' };
  withBody(t, { ...form, client_id: await throttledClientId('/oauth/revoke', form), client_secret: 'wrong-secret' });
}));

const introspect = name('/oauth/introspect', 'Introspect an access or refresh token (RFC 7662)');
hooks.before(introspect(200, 'application/json'), step(async (t) => withBody(t, { token: (await demoTokens()).access_token, ...demoClient() })));
hooks.before(introspect(400, 'application/json'), (t) => withBody(t, { token: 'tsr_oat_any', token_type_hint: 'id_token', ...demoClient() }));
hooks.before(introspect(401, 'application/json'), (t) => withBody(t, { token: 'tsr_oat_any' }));
hooks.before(introspect(429, 'application/json'), step(async (t) => {
  const form = { token: 'tsr_oat_any' };
  withBody(t, { ...form, client_id: await throttledClientId('/oauth/introspect', form), client_secret: 'wrong-secret' });
}));

// ── the OAuth clients of an application ────────────────────────────────────────────────────────

const noApplication = { app: 'no-such-application' };
const newClient = () => ({ name: unique('client'), redirect_uris: ['https://client.example/cb'], grant_types: ['authorization_code', 'refresh_token'] });

const listClients = name('/management/orgs/{org}/apps/{app}/clients', "List the application's OAuth clients");
hooks.before(listClients(200, 'application/json'), asOrgAdmin);
hooks.before(listClients(401, 'application/json'), withUnknownToken);
hooks.before(listClients(403, 'application/json'), asOutsider);
hooks.before(listClients(404, 'application/json'), (t) => { asSuperuser(t); at(t, noApplication); });

const createClient = name('/management/orgs/{org}/apps/{app}/clients', 'Register an OAuth client of the application');
hooks.before(createClient(201, 'application/json'), (t) => { asOrgAdmin(t); withJson(t, newClient()); });
hooks.before(createClient(400, 'application/json'), (t) => { asOrgAdmin(t); withJson(t, { ...newClient(), redirect_uris: ['http://client.example/cb'] }); });
hooks.before(createClient(401, 'application/json'), (t) => { withUnknownToken(t); withJson(t, newClient()); });
hooks.before(createClient(403, 'application/json'), (t) => { asOutsider(t); withJson(t, newClient()); });
hooks.before(createClient(404, 'application/json'), (t) => { asSuperuser(t); at(t, noApplication); withJson(t, newClient()); });

/** A client registered for one transaction (the demo client signs in the other hooks). */
async function freshClientId(): Promise<string> {
  const f = fixtures();
  const response = await fetch(`${seed.url}/management/orgs/${f.organization}/apps/${f.application}/clients`, {
    method: 'POST', headers: { authorization: `Bearer ${f.tokens.orgAdmin}`, 'content-type': 'application/json' }, body: JSON.stringify(newClient()),
  });
  if (response.status !== 201) throw new Error(`registering a client answered ${response.status}`);
  return ((await response.json()) as { client_id: string }).client_id;
}

const deleteClient = name('/management/orgs/{org}/apps/{app}/clients/{client}', 'Remove an OAuth client and revoke every token it was issued');
hooks.before(deleteClient(204), step(async (t) => { asOrgAdmin(t); at(t, { client: await freshClientId() }); }));
hooks.before(deleteClient(401, 'application/json'), step(async (t) => { withUnknownToken(t); at(t, { client: await freshClientId() }); }));
hooks.before(deleteClient(403, 'application/json'), step(async (t) => { asOutsider(t); at(t, { client: await freshClientId() }); }));
hooks.before(deleteClient(404, 'application/json'), (t) => { asOrgAdmin(t); at(t, { client: 'oc_no-such-client' }); });

// An error answered as a page or as JSON: support/spec.cts hands the JSON schema to every
// transaction of the status, so the page's transaction gets its text checked as text instead.
for (const transaction of [authorize(400, 'text/html'), authorize(403, 'text/html'), login(400, 'text/html'), login(403, 'text/html'), consent(400, 'text/html'), consent(403, 'text/html')]) {
  hooks.beforeValidation(transaction, (t) => {
    delete t.expected.bodySchema;
  });
}
