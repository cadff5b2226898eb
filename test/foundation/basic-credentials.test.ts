import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic } from '../helpers/credentials.js';
import { ManualClock } from '../helpers/server.js';
import { startWorld, type OAuthWorld } from '../helpers/world.js';

/**
 * `Authorization: Basic` is read by one parser on every route that takes it: the Usergrid token
 * endpoints (the `basicAuth` scheme, an organization's or application's client) and OAuth's token,
 * revocation and introspection endpoints (an OAuth client). Each malformed header is answered alike
 * on both: 400 `invalid_request` with a Basic challenge. An empty secret (`id:`) is read alike and
 * means what each endpoint says: a public OAuth client naming itself; malformed for Usergrid, whose
 * clients all have secrets.
 */
let world: OAuthWorld;
beforeAll(async () => {
  world = await startWorld({ oauth: true, clock: new ManualClock(Date.now()) });
});
afterAll(() => world.server.close());

const base64 = (text: string) => Buffer.from(text).toString('base64');
const form = { grant_type: 'client_credentials' };

/** The same header sent to a Usergrid token endpoint and to OAuth's. */
async function onBothRoutes(authorization: (clientId: string, secret: string) => string) {
  const usergrid = await world.http.post('/management/token', { form, headers: { authorization: authorization(world.acme.clientId, world.acme.clientSecret) } });
  const oauth = await world.http.post('/oauth/token', { form, headers: { authorization: authorization(world.confidential.client_id, world.confidential.client_secret!) } });
  return { usergrid, oauth };
}

const malformed: Record<string, (clientId: string, secret: string) => string> = {
  'an empty client id': (_clientId, secret) => `Basic ${base64(`:${secret}`)}`,
  'no colon': (clientId) => `Basic ${base64(clientId)}`,
  'a tab instead of a space after Basic': (clientId, secret) => `Basic\t${base64(`${clientId}:${secret}`)}`,
  'a value that is not base64': () => 'Basic not*base64!',
  'nothing after Basic': () => 'Basic',
  'a half that is not form-urlencoding': (clientId) => `Basic ${base64(`${clientId}:%zz`)}`,
};

describe('Authorization: Basic', () => {
  it('authenticates a well-formed pair on both routes', async () => {
    const { usergrid, oauth } = await onBothRoutes(basic);
    expect(usergrid.status, usergrid.text).toBe(200);
    expect(oauth.status, oauth.text).toBe(200);
  });

  for (const [what, header] of Object.entries(malformed)) {
    it(`answers ${what} with 400 invalid_request and a Basic challenge, on both routes`, async () => {
      const { usergrid, oauth } = await onBothRoutes(header);
      for (const answer of [usergrid, oauth]) {
        expect(answer.status, answer.text).toBe(400);
        expect(answer.body.error).toBe('invalid_request');
        expect(answer.headers.get('www-authenticate')).toBe('Basic realm="tessera"');
      }
      expect(usergrid.body.error_description).toBe(oauth.body.error_description);
    });
  }

  it('reads an empty secret as a public OAuth client naming itself (as golang.org/x/oauth2 sends it), and as malformed on a Usergrid endpoint', async () => {
    // RFC 7009 §2.2: an unknown token is answered 200, so what is compared is the client's authentication alone.
    const token = 'tsr_oat_unknown';
    const publicInBasic = await world.http.post('/oauth/revoke', { form: { token }, headers: { authorization: `Basic ${base64(`${world.publicClient.client_id}:`)}` } });
    expect(publicInBasic.status, publicInBasic.text).toBe(200);
    const publicInBody = await world.http.post('/oauth/revoke', { form: { token, client_id: world.publicClient.client_id } });
    expect(publicInBody.status, publicInBody.text).toBe(200);

    const emptySecret = (clientId: string) => `Basic ${base64(`${clientId}:`)}`;
    const { usergrid, oauth } = await onBothRoutes(emptySecret);
    expect(usergrid.status, usergrid.text).toBe(400);
    expect(usergrid.body.error).toBe('invalid_request');
    expect(usergrid.headers.get('www-authenticate')).toBe('Basic realm="tessera"');
    // A confidential OAuth client without its secret is not authenticated.
    expect(oauth.status, oauth.text).toBe(401);
    expect(oauth.body.error).toBe('invalid_client');
    expect(oauth.headers.get('www-authenticate')).toMatch(/^Basic /);
  });
  it('tells no client ids apart: an unknown id and a confidential client without its secret get the same answer', async () => {
    const asked = async (clientId: string) => {
      const inBody = await world.http.post('/oauth/token', { form: { ...form, client_id: clientId } });
      const inBasic = await world.http.post('/oauth/token', { form, headers: { authorization: `Basic ${base64(`${clientId}:`)}` } });
      return [inBody, inBasic].map((answer) => ({ status: answer.status, body: answer.body, challenge: answer.headers.get('www-authenticate') }));
    };
    const unknown = await asked('no-such-client');
    expect(unknown[0]!.status).toBe(401);
    expect(await asked(world.confidential.client_id)).toEqual(unknown);
  });
});
