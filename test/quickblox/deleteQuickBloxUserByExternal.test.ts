import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok } from '../helpers/api.js';
import type { OrganizationFixture } from '../helpers/fixtures.js';
import { must, needUser, openSession, sessionAnswers, sessionNotFound, wireText, withSession } from '../helpers/quickblox.js';
import { signIn } from '../helpers/users.js';
import { startWorld, type World } from '../helpers/world.js';

let { server, http, api, clock, acme, globex, ids } = {} as World;
beforeAll(
  async () =>
    ({ server, http, api, clock, acme, globex, ids } = await startWorld({
      users: { acme: ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace'], globex: ['gary', 'hank', 'ivan'] },
    })),
);
afterAll(() => server.close());

/**
 * External ids as the tests find them: alice 7001, carol 7003, erin dave's user id, frank 7006 and
 * bob 7006 as well (among his properties), hank of globex 7003 (the number carol holds in acme).
 */
beforeAll(async () => {
  for (const [login, externalId] of [['alice', 7001], ['carol', 7003], ['erin', must(ids.dave, 'id of dave')], ['frank', 7006]] as const) await giveExternalId(login, externalId);
  await giveExternalId('hank', 7003, globex);
  // bob holds frank's id too, as a database written before writes checked it may hold: two hold it now.
  await setExternalIdProperty('bob', 7006);
});

const notYours = { errors: { base: ["You don't have appropriate permissions to perform this operation"] } };
const byExternal = (id: number) => ({ params: { path: { id } } });
const as = async (login: string, org: OrganizationFixture = acme) => openSession(http, org, clock, { user: { login, password: `${login}-password` } });

/** The user gives themselves an external id where QuickBlox sets it (`PUT /users/{id}.json`), which refuses a taken one. */
async function giveExternalId(login: string, externalId: number, org: OrganizationFixture = acme): Promise<void> {
  const session = withSession(http, await as(login, org));
  ok(await session.PUT('/users/{id}.json', { params: { path: { id: must(ids[login], `id of ${login}`) } }, body: { user: { external_user_id: externalId } } }));
}

/** `external_user_id` among the user's properties, written in the database: every route refuses one another user holds. */
async function setExternalIdProperty(login: string, externalId: number): Promise<void> {
  const id = must(ids[login], `id of ${login}`);
  await server.deps.db('app_users').where({ id }).update({ properties: JSON.stringify({ external_user_id: externalId }) });
}

/** Whether the user is still there, asked as another user of the same application would. */
async function exists(login: string, org: OrganizationFixture = acme): Promise<boolean> {
  const reader = withSession(http, await as(org === acme ? 'grace' : 'ivan', org));
  const answer = await reader.GET('/users/{id}.json', { params: { path: { id: must(ids[login], `id of ${login}`) } } });
  if (answer.response.status !== 200 && answer.response.status !== 404) throw new Error(`reading ${login}: ${answer.response.status}`);
  return answer.response.status === 200;
}

describe('DELETE /users/external/{id}.json', () => {
  it('deletes your own user by your external id: 200 with an empty body, and every session and token of theirs ends', async () => {
    const token = await as('alice');
    const other = await as('alice');
    const usergrid = await signIn(http, acme, 'alice');
    const answer = await withSession(http, token).DELETE('/users/external/{id}.json', byExternal(7001));
    expect(answer.response.status).toBe(200);
    expect(wireText(answer.response)).toBe('');
    expect(await sessionAnswers(http, [token, other])).toEqual([{ status: 401, error: sessionNotFound }, { status: 401, error: sessionNotFound }]);
    expect((await api(usergrid).GET('/{org}/{app}/users/{user}', { params: { path: { org: 'acme', app: 'app', user: 'me' } } })).response.status).toBe(401);
    expect(await exists('alice')).toBe(false);
    expect((await withSession(http, await as('grace')).GET('/users/external/{id}.json', byExternal(7001))).response.status).toBe(404);
  });

  it("answers 403 to another user's external id, and leaves both users", async () => {
    const answer = await withSession(http, await as('bob')).DELETE('/users/external/{id}.json', byExternal(7003));
    expect(answer.response.status).toBe(403);
    expect(answer.error).toEqual(notYours);
    expect(await exists('carol')).toBe(true);
    expect(await exists('bob')).toBe(true);
  });

  it("decides on the user the external id names, not on the number: your own user id held by another as their external id is 403", async () => {
    // erin's external id is the number that is dave's user id.
    const daveId = must(ids.dave, 'id of dave');
    const answer = await withSession(http, await as('dave')).DELETE('/users/external/{id}.json', byExternal(daveId));
    expect(answer.response.status).toBe(403);
    expect(answer.error).toEqual(notYours);
    expect(await exists('erin')).toBe(true);
    expect(await exists('dave')).toBe(true);
  });

  it('answers 403 to an external id nobody holds, as to one held by another, and deletes nobody', async () => {
    const answer = await withSession(http, await as('bob')).DELETE('/users/external/{id}.json', byExternal(424242));
    expect(answer.response.status).toBe(403);
    expect(answer.error).toEqual(notYours);
    expect(await exists('bob')).toBe(true);
  });

  it('answers 403 to an external id two users hold, even to one of them, and deletes neither', async () => {
    for (const login of ['bob', 'frank']) {
      const answer = await withSession(http, await as(login)).DELETE('/users/external/{id}.json', byExternal(7006));
      expect(answer.response.status).toBe(403);
      expect(answer.error).toEqual(notYours);
    }
    expect(await exists('bob')).toBe(true);
    expect(await exists('frank')).toBe(true);
  });

  it("looks the external id up in the session's own application only", async () => {
    // gary of globex holds nothing: carol's id in acme is not his.
    const gary = await withSession(http, await as('gary', globex)).DELETE('/users/external/{id}.json', byExternal(7003));
    expect(gary.response.status).toBe(403);
    expect(gary.error).toEqual(notYours);
    expect(await exists('carol')).toBe(true);
    // hank of globex holds the same number in his application: he deletes himself, and only himself.
    const hank = await withSession(http, await as('hank', globex)).DELETE('/users/external/{id}.json', byExternal(7003));
    expect(hank.response.status).toBe(200);
    expect(await exists('carol')).toBe(true);
    expect(await exists('gary', globex)).toBe(true);
  });

  it('answers an application session 422 "Forbidden. Need user.", a dead one and none 401', async () => {
    const app = await withSession(http, await openSession(http, acme, clock)).DELETE('/users/external/{id}.json', byExternal(7003));
    expect(app.response.status).toBe(422);
    expect(app.error).toEqual(needUser);
    const dead = await withSession(http, 'c56f382b402fb482086db956064592d3cd012bba').DELETE('/users/external/{id}.json', byExternal(7003));
    expect(dead.response.status).toBe(401);
    const none = await http.delete('/users/external/7003.json');
    expect(none.status).toBe(401);
    expect(await exists('carol')).toBe(true);
  });

  it('answers 422 to an id that is no external id (not a number, negative, past 2^53 - 1), keyed by `id`', async () => {
    const token = await as('bob');
    for (const id of ['seven', '-1', '9007199254740992', '99999999999999999999', '7003.5']) {
      const answer = await http.delete(`/users/external/${id}.json`, { headers: { 'QB-Token': token } });
      expect(answer.status, id).toBe(422);
      expect(Object.keys(answer.body.errors), id).toEqual(['id']);
    }
    expect(await exists('bob')).toBe(true);
  });

  it("deletes nobody else whatever the spelling of another user's external id (encoded, padded, exponent, hexadecimal)", async () => {
    const token = await as('bob');
    const answers: Record<string, number> = {};
    for (const id of ['%37%30%30%33', '07003', '7003.0', '7.003e3', '+7003', '7003%20', '%207003', '0x1b5b', '7003%00', '7003%2F..%2F..']) {
      answers[id] = (await http.delete(`/users/external/${id}.json`, { headers: { 'QB-Token': token } })).status;
    }
    // Digits only reach the rule (403: not yours); any other spelling of a number is refused first (422).
    expect(answers).toEqual({
      '%37%30%30%33': 403, '07003': 403, '7003.0': 422, '7.003e3': 422, '+7003': 422, '7003%20': 422, '%207003': 422, '0x1b5b': 422,
      '7003%00': 400, '7003%2F..%2F..': 422,
    });
    expect(await exists('carol')).toBe(true);
    expect(await exists('bob')).toBe(true);
  });

  it('resolves only the plain decimal spelling of an external id, even for its holder: the others delete nobody', async () => {
    // The validation step reads `07003` as 7003 (GET finds carol by it); a destructive route does not
    // guess: 403. It refuses `7.003e3` and `0x1b5b` outright (422), as every path and query number.
    const token = await as('carol');
    for (const [id, status] of [['07003', 403], ['7.003e3', 422], ['0x1b5b', 422]] as const) {
      const answer = await http.delete(`/users/external/${id}.json`, { headers: { 'QB-Token': token } });
      expect(answer.status, id).toBe(status);
    }
    expect(await exists('carol')).toBe(true);
  });
});
