import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok } from '../helpers/api.js';
import { expectedExpirationDate, formOf, messages, openSession, postSession, sessionRequest, sign, withSession } from '../helpers/quickblox.js';
import { ManualClock } from '../helpers/server.js';
import { createUser } from '../helpers/users.js';
import { startWorld, type World } from '../helpers/world.js';

const clock = new ManualClock();
let { server, http, api, acme, globex, ids } = {} as World;
beforeAll(async () => ({ server, http, api, acme, globex, ids } = await startWorld({ clock, users: { acme: ['alice'] } })));
afterAll(() => server.close());

const unexpectedSignature = { errors: { base: ['Unexpected signature'] } };

describe('POST /session.json', () => {
  it('creates an application session: 201 with every field of QuickBlox, user_id 0, and its expiration date', async () => {
    const form = sessionRequest(acme, clock, { nonce: 8801 });
    const answer = await postSession(api(), form);
    expect(answer.response.status).toBe(201);
    const session = ok(answer).session;
    expect(Object.keys(session).sort()).toEqual(['_id', 'application_id', 'created_at', 'id', 'nonce', 'token', 'ts', 'updated_at', 'user_id']);
    expect(session).toMatchObject({ application_id: acme.app.applicationId, nonce: 8801, ts: form.timestamp, user_id: 0, _id: String(session.id) });
    expect(session.token).toMatch(/^[0-9a-f]{40}$/);
    expect(session.created_at).toBe(new Date(clock.now()).toISOString().replace('.000Z', 'Z'));
    expect(session.updated_at).toBe(session.created_at);
    expect(answer.response.headers.get('qb-token-expirationdate')).toBe(expectedExpirationDate(clock.now() + 7200_000));
  });

  it('keeps the session in the one token store: kind session, id = session id, only the SHA-256 of the token', async () => {
    const { session } = ok(await postSession(api(), sessionRequest(acme, clock)));
    const row = await server.deps.db('tokens').where({ id: session.id }).first();
    expect(row).toMatchObject({ kind: 'session', principal_kind: 'appSession', ceiling: 'read', application_id: acme.app.applicationId });
    expect(Number(row.idle_ttl_ms)).toBe(7200_000);
    expect(JSON.stringify(row)).not.toContain(session.token);
  });

  it('creates a user session at once with user[login] or user[email] and user[password]', async () => {
    for (const user of [{ login: 'alice', password: 'alice-password' }, { email: 'alice@users.example', password: 'alice-password' }]) {
      const answer = await postSession(api(), sessionRequest(acme, clock, { user }));
      expect(answer.response.status).toBe(201);
      expect(answer.data?.session.user_id).toBe(ids.alice);
    }
  });

  it('signs the raw values of a user session, punctuation and all (reference §2)', async () => {
    await createUser(http, acme, 'punctual');
    await api(acme.admin.token).PUT('/{org}/{app}/users/{user}', { params: { path: { org: 'acme', app: 'app', user: 'punctual' } }, body: { password: 'p@ss w+rd&=;1' } });
    const answer = await postSession(api(), sessionRequest(acme, clock, { user: { login: 'punctual', password: 'p@ss w+rd&=;1' } }));
    expect(answer.response.status).toBe(201);
  });

  it('accepts a JSON body, numbers as numbers and the user as a nested object', async () => {
    const timestamp = Math.floor(clock.now() / 1000);
    const signed = { application_id: String(acme.app.applicationId), auth_key: acme.app.authKey, nonce: '77', timestamp: String(timestamp), 'user[login]': 'alice', 'user[password]': 'alice-password' };
    const json = {
      application_id: acme.app.applicationId,
      auth_key: acme.app.authKey,
      nonce: 77,
      timestamp,
      user: { login: 'alice', password: 'alice-password' },
      signature: sign(signed, acme.app.authSecret),
    };
    const answer = await api().POST('/session.json', { body: json });
    expect(answer.response.status).toBe(201);
    expect(answer.data?.session.user_id).toBe(ids.alice);
  });

  it("accepts QuickBlox's curl example: JSON with every value a string, signed over the values as sent", async () => {
    // Strings break the spec's integer types on purpose: the untyped client.
    const fields = { application_id: String(acme.app.applicationId), auth_key: acme.app.authKey, timestamp: String(Math.floor(clock.now() / 1000)), nonce: '0042' };
    const answer = await http.post('/session.json', { json: { ...fields, signature: sign(fields, acme.app.authSecret) } });
    expect(answer.status).toBe(201);
    expect(answer.body.session).toMatchObject({ application_id: acme.app.applicationId, nonce: 42, ts: Number(fields.timestamp) });
    // The signature covers "0042", not the number it stands for.
    const renumbered = { ...fields, timestamp: String(Number(fields.timestamp) + 1), nonce: '0043' };
    const signedAsNumber = await http.post('/session.json', { json: { ...renumbered, signature: sign({ ...renumbered, nonce: '43' }, acme.app.authSecret) } });
    expect(signedAsNumber.status).toBe(422);
    expect(signedAsNumber.body).toEqual(unexpectedSignature);
  });

  it('still answers 422 keyed by field to a JSON string that is no number', async () => {
    const fields = { application_id: 'forty-two', auth_key: acme.app.authKey, timestamp: String(Math.floor(clock.now() / 1000)), nonce: '1' };
    const answer = await http.post('/session.json', { json: { ...fields, signature: sign(fields, acme.app.authSecret) } });
    expect(answer.status).toBe(422);
    expect(Object.keys(answer.body.errors)).toEqual(['application_id']);
  });

  it('accepts HMAC-SHA256 signatures (64 hex digits) as well as HMAC-SHA1 (40)', async () => {
    const sha256 = sessionRequest(acme, clock, { hash: 'sha256' });
    expect(sha256.signature).toHaveLength(64);
    expect((await postSession(api(), sha256)).response.status).toBe(201);
    const upper = sessionRequest(acme, clock, { hash: 'sha1' });
    expect((await postSession(api(), { ...upper, signature: upper.signature.toUpperCase() })).response.status).toBe(201);
  });

  it('ignores a QB-Token sent with it, however bad (the SDK sends its old one)', async () => {
    const dead = await openSession(http, acme, clock);
    await withSession(http, dead).DELETE('/session.json');
    for (const token of [dead, 'not-a-session', '']) {
      const answer = await postSession(withSession(http, token), sessionRequest(acme, clock));
      expect(answer.response.status).toBe(201);
      expect(answer.data?.session.token).not.toBe(dead);
    }
  });
});

describe('POST /session.json refused', () => {
  it('answers 422 "Unexpected signature" to a wrong signature, a wrong secret, a wrong auth_key or a tampered field', async () => {
    const good = sessionRequest(acme, clock);
    const answers = [
      await postSession(api(), { ...good, signature: '0'.repeat(40) }),
      await postSession(api(), sessionRequest(acme, clock, { authSecret: 'not-the-secret' })),
      await postSession(api(), sessionRequest(acme, clock, { authSecret: globex.app.authSecret })),
      await postSession(api(), { ...sessionRequest(acme, clock), nonce: 123456 }),
      await postSession(api(), { ...good, signature: good.signature.slice(0, 39) }),
    ];
    const wrongKey = sessionRequest({ ...acme, app: { ...acme.app, authKey: globex.app.authKey } }, clock);
    answers.push(await postSession(api(), wrongKey));
    for (const answer of answers) {
      expect(answer.response.status).toBe(422);
      expect(answer.error).toEqual(unexpectedSignature);
      expect(answer.response.headers.get('qb-token-expirationdate')).toBeNull();
    }
  });

  it('answers 422 "No application found" to an unknown application_id', async () => {
    const answer = await postSession(api(), sessionRequest({ ...acme, app: { ...acme.app, applicationId: 999999 } }, clock));
    expect(answer.response.status).toBe(422);
    expect(answer.error).toEqual({ errors: { base: ['No application found'] } });
  });

  it('answers 422 "Bad timestamp" more than an hour either side of the server clock, and accepts the hour itself', async () => {
    const now = Math.floor(clock.now() / 1000);
    for (const timestamp of [now - 3601, now + 3601]) {
      const answer = await postSession(api(), sessionRequest(acme, clock, { timestamp }));
      expect(answer.response.status).toBe(422);
      expect(answer.error).toEqual({ errors: { base: ['Bad timestamp'] } });
    }
    for (const timestamp of [now - 3600, now + 3600]) {
      expect((await postSession(api(), sessionRequest(acme, clock, { timestamp }))).response.status).toBe(201);
    }
  });

  it('refuses a replayed request: the same application, timestamp and nonce work once', async () => {
    const form = sessionRequest(acme, clock, { nonce: 4242 });
    expect((await postSession(api(), form)).response.status).toBe(201);
    const replay = await postSession(api(), form);
    expect(replay.response.status).toBe(422);
    expect(replay.error).toEqual(unexpectedSignature);
    // Another nonce, or the same nonce for another application, is a new request.
    expect((await postSession(api(), sessionRequest(acme, clock, { nonce: 4243 }))).response.status).toBe(201);
    expect((await postSession(api(), sessionRequest(globex, clock, { nonce: 4242 }))).response.status).toBe(201);
  });

  it('does not use up a nonce with a request whose signature is bad', async () => {
    const good = sessionRequest(acme, clock, { nonce: 5151 });
    expect((await postSession(api(), { ...good, signature: 'f'.repeat(40) })).response.status).toBe(422);
    expect((await postSession(api(), good)).response.status).toBe(201);
  });

  it('forgets nonces once their timestamps are out of the window', async () => {
    const form = sessionRequest(acme, clock, { nonce: 6161 });
    expect((await postSession(api(), form)).response.status).toBe(201);
    const before = await server.deps.db('quickblox_nonces').where({ nonce: '6161' });
    expect(before).toHaveLength(1);
    clock.advance(2 * 3600_000);
    await server.sweep();
    expect(await server.deps.db('quickblox_nonces').where({ nonce: '6161' })).toHaveLength(0);
  });

  it('answers 401 {"errors":["Unauthorized"]} to a wrong password, an unknown login or an unknown email', async () => {
    for (const user of [{ login: 'alice', password: 'wrong-password' }, { login: 'nobody', password: 'alice-password' }, { email: 'nobody@users.example', password: 'x' }]) {
      const answer = await postSession(api(), sessionRequest(acme, clock, { user }));
      expect(answer.response.status).toBe(401);
      expect(answer.error).toEqual({ errors: ['Unauthorized'] });
    }
  });

  it('does not let a user of one application open a session in another', async () => {
    const answer = await postSession(api(), sessionRequest(globex, clock, { user: { login: 'alice', password: 'alice-password' } }));
    expect(answer.response.status).toBe(401);
  });

  it('throttles wrong passwords with 429 and Retry-After, in QuickBlox’s shape', async () => {
    await createUser(http, acme, 'guessed');
    let answer = await postSession(api(), sessionRequest(acme, clock, { user: { login: 'guessed', password: 'wrong-1' } }));
    for (let i = 2; i <= 30 && answer.response.status === 401; i++) {
      answer = await postSession(api(), sessionRequest(acme, clock, { user: { login: 'guessed', password: `wrong-${i}` } }));
    }
    expect(answer.response.status).toBe(429);
    expect(Number(answer.response.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(messages(answer.error)?.[0]).toMatch(/too many/i);
  });

  it('answers 422 keyed by field when a field is missing or malformed, and to social sign-in it does not support', async () => {
    // A missing signature and an application_id that is not a number break the spec on purpose: the untyped client.
    const { signature: _s, ...unsigned } = sessionRequest(acme, clock);
    const missing = await http.post('/session.json', { form: formOf(unsigned) });
    expect(missing.status).toBe(422);
    expect(missing.body).toEqual({ errors: { signature: ['is required'] } });
    const malformed = await http.post('/session.json', { form: formOf({ ...sessionRequest(acme, clock), application_id: 'forty-two' }) });
    expect(malformed.status).toBe(422);
    expect(Object.keys(malformed.body.errors)).toEqual(['application_id']);
    const params = { application_id: acme.app.applicationId, auth_key: acme.app.authKey, nonce: 1, timestamp: Math.floor(clock.now() / 1000), provider: 'facebook' };
    const social = await postSession(api(), { ...params, signature: sign(formOf(params), acme.app.authSecret) });
    expect(social.response.status).toBe(422);
    expect(social.error).toEqual({ errors: { provider: ['is not supported'] } });
  });
});
