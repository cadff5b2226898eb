import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic } from '../helpers/credentials.js';
import { user as alice } from '../helpers/oauth.js';
import { signIn } from '../helpers/users.js';
import { startWorld, type OAuthWorld } from '../helpers/world.js';

/**
 * Two `Authorization` headers are two credentials. Node keeps the first for the server while a proxy
 * in front may act on the last, so a request carrying two is refused (400) before any scheme reads
 * either (found by the attacker run: two bearer tokens acted as the first one's user).
 */
let world: OAuthWorld;
let aliceToken: string;
beforeAll(async () => {
  world = await startWorld({ oauth: true });
  aliceToken = await signIn(world.http, world.acme, alice.username, { password: alice.password });
});
afterAll(() => world.server.close());

/** A request with `authorization` sent once per value (fetch would join them into one header). */
function withAuthorizations(method: string, path: string, authorizations: string[], form?: Record<string, string>): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const body = form && new URLSearchParams(form).toString();
    const sent = request(new URL(path, world.server.url), { method }, (answer) => {
      let text = '';
      answer.on('data', (chunk) => (text += chunk)).on('end', () => resolve({ status: answer.statusCode!, body: text ? JSON.parse(text) : undefined }));
    });
    sent.on('error', reject);
    sent.setHeader('authorization', authorizations);
    if (body) sent.setHeader('content-type', 'application/x-www-form-urlencoded');
    sent.end(body);
  });
}

describe('two Authorization headers', () => {
  it('are refused with 400 on a Usergrid route, whichever comes first', async () => {
    for (const pair of [[`Bearer ${aliceToken}`, `Bearer ${world.acme.admin.token}`], [`Bearer ${world.acme.admin.token}`, `Bearer ${aliceToken}`]]) {
      const answer = await withAuthorizations('GET', '/acme/app/users/me', pair);
      expect(answer.status, JSON.stringify(answer.body)).toBe(400);
      expect(answer.body.error).toBe('invalid_request');
    }
  });

  it('are refused with 400 on the OAuth token endpoint, two client pairs in Basic', async () => {
    const pairs = [basic(world.confidential.client_id, world.confidential.client_secret!), basic(world.thirdParty.client_id, world.thirdParty.client_secret!)];
    const answer = await withAuthorizations('POST', '/oauth/token', pairs, { grant_type: 'client_credentials' });
    expect(answer.status, JSON.stringify(answer.body)).toBe(400);
    expect(answer.body.error).toBe('invalid_request');
  });

  it('one header still works (the same request, sent once)', async () => {
    const answer = await withAuthorizations('GET', '/acme/app/users/me', [`Bearer ${aliceToken}`]);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  });
});
