import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { components } from '../../generated/openapi.js';
import { openSession, withSession } from '../helpers/quickblox.js';
import { startWorld, type World } from '../helpers/world.js';

let { server, http, clock, acme, globex, ids } = {} as World;
/** QuickBlox's own application sessions, which read the whole application (`appsessionaccess: read-all`). */
beforeAll(async () => ({ server, http, clock, acme, globex, ids } = await startWorld({ users: { acme: ['alice', 'bob', 'carol'], globex: ['gary'] }, appSessionAccess: 'read-all' })));
afterAll(() => server.close());

const logins = (list?: components['schemas']['QuickBloxUserList']) => list?.items.map((item) => item.user.login);
const page = (query: { page?: number; per_page?: number }) => ({ params: { query } });

describe('GET /users.json', () => {
  it("lists the application's users, QuickBlox's way, to an application session", async () => {
    const session = withSession(http, await openSession(http, acme, clock));
    const answer = await session.GET('/users.json');
    expect(answer.response.status).toBe(200);
    expect(answer.data).toMatchObject({ current_page: 1, per_page: 10, total_entries: 3 });
    expect(logins(answer.data)).toEqual(['alice', 'bob', 'carol']);
  });

  it('pages with page and per_page, and counts them all', async () => {
    const session = withSession(http, await openSession(http, acme, clock));
    const second = await session.GET('/users.json', page({ page: 2, per_page: 2 }));
    expect(second.data).toMatchObject({ current_page: 2, per_page: 2, total_entries: 3 });
    expect(logins(second.data)).toEqual(['carol']);
    expect((await session.GET('/users.json', page({ page: 3, per_page: 2 }))).data?.items).toEqual([]);
  });

  it('shows a user with every field of QuickBlox', async () => {
    const session = withSession(http, await openSession(http, acme, clock));
    const first = (await session.GET('/users.json', page({ per_page: 1 }))).data?.items[0];
    expect(Object.keys(first?.user ?? {}).sort()).toEqual(
      [
        'age_over16', 'allow_sales_activities', 'allow_statistics_analysis', 'blob_id', 'created_at', 'custom_data', 'email', 'external_user_id',
        'facebook_id', 'full_name', 'id', 'last_request_at', 'login', 'parents_contacts', 'phone', 'updated_at', 'user_tags', 'website',
      ].sort(),
    );
    expect(first?.user.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  });

  it('answers 422 to filters and orderings it does not support, and to a page size over 100', async () => {
    const token = await openSession(http, acme, clock);
    const session = withSession(http, token);
    // `order` is no parameter of the spec: the untyped client.
    const filtered = await http.get('/users.json?order=desc+date+id', { headers: { 'QB-Token': token } });
    expect(filtered.status).toBe(422);
    expect(filtered.body).toEqual({ errors: { base: ['has an unknown property "order"'] } });
    // Over the spec's maximum, which the types cannot carry: a typed call the server refuses.
    expect((await session.GET('/users.json', page({ per_page: 101 }))).response.status).toBe(422);
  });

  it("narrows the list with QuickBlox's filters, each one met, and counts only what they leave", async () => {
    const session = withSession(http, await openSession(http, acme, clock));
    const filtered = async (...filter: string[]) => (await session.GET('/users.json', { params: { query: { filter } } })).data;
    const byIds = await filtered(`number id in ${ids.alice},${ids.carol},${ids.gary}`);
    expect(logins(byIds)).toEqual(['alice', 'carol']);
    expect(byIds?.total_entries).toBe(2);
    expect(logins(await filtered('string login in bob,CAROL,nobody'))).toEqual(['bob', 'carol']);
    expect(logins(await filtered('string login eq Alice'))).toEqual(['alice']);
    expect(logins(await filtered(`number id in ${ids.alice},${ids.bob}`, 'string login eq bob'))).toEqual(['bob']);
    expect(logins(await filtered(`number id gt ${ids.alice}`))).toEqual(['bob', 'carol']);
  });

  it('filters by updated_at to the second, as an ISO 8601 time or Unix seconds', async () => {
    const session = withSession(http, await openSession(http, acme, clock));
    const filtered = async (filter: string) => logins((await session.GET('/users.json', { params: { query: { filter: [filter] } } })).data);
    const all = await session.GET('/users.json');
    const updated = all.data!.items.map((item) => item.user.updated_at);
    expect(new Set(updated).size).toBe(1);
    const shown = updated[0]!;
    const seconds = Date.parse(shown) / 1000;
    expect(await filtered(`date updated_at gt ${shown}`)).toEqual([]);
    expect(await filtered(`date updated_at lt ${shown}`)).toEqual([]);
    expect(await filtered(`date updated_at gt ${seconds - 1}`)).toEqual(['alice', 'bob', 'carol']);
    expect(await filtered(`date updated_at lt ${new Date((seconds + 1) * 1000).toISOString()}`)).toEqual(['alice', 'bob', 'carol']);
  });

  it('takes filter[]= as the SDK writes it, and filter= alike', async () => {
    const token = await openSession(http, acme, clock);
    for (const query of ['filter[]=string+login+eq+bob', 'filter=string%20login%20eq%20bob', 'filter[]=string+login+eq+bob&filter[]=number+id+gt+0']) {
      const answer = await http.get(`/users.json?${query}`, { headers: { 'QB-Token': token } });
      expect(answer.status).toBe(200);
      expect(answer.body.items.map((item: { user: { login: string } }) => item.user.login)).toEqual(['bob']);
    }
  });

  it('answers 422 keyed by filter to a filter it does not serve, never ignoring it', async () => {
    const session = withSession(http, await openSession(http, acme, clock));
    const refused = ['string full_name eq Alice', 'number login eq 1', 'string login gt a', 'number id in 1,x', 'date updated_at gt yesterday', 'date created_at gt 2026-02-31', 'date updated_at lt 2025-13-01', 'string login', 'number id eq 99999999999'];
    for (const filter of refused) {
      const answer = await session.GET('/users.json', { params: { query: { filter: [filter] } } });
      expect(answer.response.status, filter).toBe(422);
      expect(Object.keys((answer.error?.errors as Record<string, string[]>) ?? {}), filter).toEqual(['filter']);
    }
    const tooMany = await session.GET('/users.json', { params: { query: { filter: Array.from({ length: 11 }, () => 'number id gt 0') } } });
    expect(tooMany.response.status).toBe(422);
  });

  it('keeps each application to its own users', async () => {
    const session = withSession(http, await openSession(http, globex, clock));
    const answer = await session.GET('/users.json');
    expect(logins(answer.data)).toEqual(['gary']);
  });
});
