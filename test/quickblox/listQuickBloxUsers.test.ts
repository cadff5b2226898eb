import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession, type QuickBloxWorld, startWorld, withSession } from './support.js';

let { server, http, clock, acme, globex } = {} as QuickBloxWorld;
beforeAll(async () => ({ server, http, clock, acme, globex } = await startWorld({ acme: ['alice', 'bob', 'carol'], globex: ['gary'] })));
afterAll(() => server.close());

describe('GET /users.json', () => {
  it("lists the application's users, QuickBlox's way, to an application session", async () => {
    const session = withSession(http, await openSession(http, acme, clock));
    const answer = await session.get('/users.json');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ current_page: 1, per_page: 10, total_entries: 3 });
    expect(answer.body.items.map((item: { user: { login: string } }) => item.user.login)).toEqual(['alice', 'bob', 'carol']);
  });

  it('pages with page and per_page, and counts them all', async () => {
    const session = withSession(http, await openSession(http, acme, clock));
    const second = await session.get('/users.json?page=2&per_page=2');
    expect(second.body).toMatchObject({ current_page: 2, per_page: 2, total_entries: 3 });
    expect(second.body.items.map((item: { user: { login: string } }) => item.user.login)).toEqual(['carol']);
    expect((await session.get('/users.json?page=3&per_page=2')).body.items).toEqual([]);
  });

  it('shows a user with every field of QuickBlox', async () => {
    const session = withSession(http, await openSession(http, acme, clock));
    const [first] = (await session.get('/users.json?per_page=1')).body.items;
    expect(Object.keys(first.user).sort()).toEqual(
      [
        'age_over16', 'allow_sales_activities', 'allow_statistics_analysis', 'blob_id', 'created_at', 'custom_data', 'email', 'external_user_id',
        'facebook_id', 'full_name', 'id', 'last_request_at', 'login', 'parents_contacts', 'phone', 'updated_at', 'user_tags', 'website',
      ].sort(),
    );
    expect(first.user.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  });

  it('answers 422 to filters and orderings it does not support, and to a page size over 100', async () => {
    const session = withSession(http, await openSession(http, acme, clock));
    const filtered = await session.get('/users.json?order=desc+date+id');
    expect(filtered.status).toBe(422);
    expect(filtered.body).toEqual({ errors: { base: ['has an unknown property "order"'] } });
    expect((await session.get('/users.json?per_page=101')).status).toBe(422);
  });

  it('keeps each application to its own users', async () => {
    const session = withSession(http, await openSession(http, globex, clock));
    const answer = await session.get('/users.json');
    expect(answer.body.items.map((item: { user: { login: string } }) => item.user.login)).toEqual(['gary']);
  });
});
