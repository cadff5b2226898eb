/** What the three examples share: settings from the environment, checking answers, form bodies, HTTP Basic. */

/** A setting from the environment, or the public demo value `npm start` seeds. */
export const env = (name: string, fallback: string) => process.env[name] || fallback;
export const baseUrl = env('TESSERA_URL', 'http://127.0.0.1:8080');

type Result<D> = { data?: D; error?: unknown; response: Response };

export function fail(step: string, { error, response }: Result<unknown>): never {
  throw new Error(`${step}: unexpected HTTP ${response.status} ${JSON.stringify(error ?? '')}`);
}

/** The answer's body, if the status is the expected one. */
export function ok<D>(step: string, status: number, result: Result<D>): D {
  if (result.response.status !== status || result.data === undefined) fail(step, result);
  return result.data;
}

/** Spread into a call to send its body as a form (the token endpoints, QuickBlox): `{ body, ...form }`. */
export const form = {
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  bodySerializer: (body: object) => new URLSearchParams(Object.entries(body).map(([k, v]) => [k, String(v)])).toString(),
};

/** RFC 6749 §2.3.1 and Appendix B: id and secret form-urlencoded, then `Basic base64(id:secret)`. */
export function basic(clientId: string, clientSecret: string): string {
  const formEncode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${formEncode(clientId)}:${formEncode(clientSecret)}`).toString('base64')}`;
}
