import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formOf, openSession, sessionRequest } from '../helpers/quickblox.js';
import { startWorld, type World } from '../helpers/world.js';

let { server, http, clock, acme } = {} as World;
beforeAll(async () => ({ server, http, clock, acme } = await startWorld({ appSessionAccess: 'read-all' })));
afterAll(() => server.close());

/** Spellings Ajv's coercion reads as numbers, which no client means: hexadecimal, exponents, a sign, spaces. */
const misspelt = ['0x2', '1e1', '+1', ' 1', '1 ', '0b1', 'Infinity', ''];

describe('numbers in paths, queries and forms', () => {
  it('takes a query number only as digits (leading zeros kept), else 400 naming it, in the route family shape', async () => {
    const headers = { authorization: `Bearer ${acme.admin.token}` };
    for (const limit of ['1', '01']) expect((await http.get(`/acme/app/users?limit=${limit}`, { headers })).status, limit).toBe(200);
    for (const limit of misspelt) {
      const answer = await http.get(`/acme/app/users?limit=${encodeURIComponent(limit)}`, { headers });
      expect(answer.status, JSON.stringify(limit)).toBe(400);
      expect(answer.body).toMatchObject({ error: 'invalid_request', error_description: 'limit must be integer' });
    }
  });

  it("takes a form's number only as digits, else 422 naming it, whatever the rest of the form (a QuickBlox session request)", async () => {
    const request = formOf(sessionRequest(acme, clock));
    expect((await http.post('/session.json', { form: request })).status).toBe(201);
    for (const [field, value] of [['application_id', `0x${Number(request.application_id).toString(16)}`], ['nonce', '1e3'], ['timestamp', ` ${request.timestamp}`], ['nonce', '+7']]) {
      const answer = await http.post('/session.json', { form: { ...formOf(sessionRequest(acme, clock)), [field!]: value! } });
      expect(answer.status, `${field}=${value}`).toBe(422);
      expect(answer.body, `${field}=${value}`).toEqual({ errors: { [field!]: ['must be integer'] } });
    }
  });

  it('takes a path number only as digits, else 422 naming it, in the QuickBlox shape', async () => {
    const token = await openSession(http, acme, clock);
    expect((await http.get('/users/by_external_user_id/07001.json', { headers: { 'QB-Token': token } })).status).toBe(404);
    for (const id of ['0x1b59', '7e3', '+7001']) {
      const answer = await http.get(`/users/by_external_user_id/${encodeURIComponent(id)}.json`, { headers: { 'QB-Token': token } });
      expect(answer.status, id).toBe(422);
      expect(answer.body).toEqual({ errors: { id: ['must be integer'] } });
    }
  });
});
