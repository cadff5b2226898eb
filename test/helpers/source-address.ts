import http from 'node:http';

/**
 * A `fetch` whose requests leave from `localAddress`, so a test can play a second client: Linux
 * routes all of 127.0.0.0/8 to loopback, and the server (Koa with `proxy: false`) takes the
 * socket's address as the client's.
 */
export function fetchFrom(localAddress: string): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
    return new Promise<Response>((resolve, reject) => {
      const outgoing = http.request(request.url, { method: request.method, headers: Object.fromEntries(request.headers), localAddress, agent: false }, (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('error', reject);
        incoming.on('end', () => {
          const headers = new Headers();
          for (const [name, value] of Object.entries(incoming.headers)) {
            for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, one);
          }
          const status = incoming.statusCode ?? 500;
          const empty = status === 204 || status === 304 || request.method === 'HEAD';
          resolve(new Response(empty ? null : Buffer.concat(chunks), { status, headers }));
        });
      });
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  };
}
