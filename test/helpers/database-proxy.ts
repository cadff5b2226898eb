import { createHmac, randomInt } from 'node:crypto';
import net from 'node:net';

/**
 * A TCP proxy between the server and PostgreSQL, so the test can cut the database off without
 * touching the machine's PostgreSQL: `cut` stops accepting and destroys every open connection,
 * `restore` accepts again on the same port.
 */
export class DatabaseProxy {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async open(): Promise<void> {
    const server = net.createServer((client) => {
      const upstream = net.connect(this.target.port, this.target.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as net.AddressInfo).port;
    this.server = server;
  }

  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  restore(): Promise<void> {
    return this.open();
  }
}

/** Shared by every instance's requests, from a random start: an (application, timestamp, nonce) is accepted once, wherever it is sent. */
let nonce = randomInt(1_000_000, 1_000_000_000);

/** Three requests that need the database, one per route family, with the demo's well-known credentials. */
export function familyRequests(url: string, quickblox: { applicationId: string; authKey: string }) {
  return {
    usergrid: () =>
      fetch(`${url}/management/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ grant_type: 'password', username: 'demo-admin', password: 'demo-admin-password' }),
      }),
    oauth: () =>
      fetch(`${url}/oauth/token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from('oc_demo-storefront-web:tsr_ocs_demo-storefront-web-secret').toString('base64')}`,
        },
        body: 'grant_type=client_credentials',
      }),
    quickblox: () => {
      const params: Record<string, string> = {
        application_id: quickblox.applicationId,
        auth_key: quickblox.authKey,
        nonce: String((nonce += 1)),
        timestamp: String(Math.floor(Date.now() / 1000)),
      };
      const message = Object.entries(params).map(([name, value]) => `${name}=${value}`).sort().join('&');
      const signature = createHmac('sha1', 'demo-storefront-auth-secret').update(message).digest('hex');
      // As the SDK sends it: a form.
      return fetch(`${url}/session.json`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ ...params, signature }).toString() });
    },
  };
}
