import { LRUCache } from 'lru-cache';
import pino, { type DestinationStream, type Logger } from 'pino';
import pinoPretty from 'pino-pretty';

const redacted = '[REDACTED]';

/**
 * Words that make a parameter or field name a secret, matched inside the name once it is decoded,
 * lower-cased and stripped of separators (`Access%5FToken`, `user[password]`, `apiToken`,
 * `client-secret` all qualify). A deny-list by part of a word, so names nobody planned for
 * (`api_token`, `x_signature`, `private_key`) are covered too; logs lose a little legibility
 * when an innocent name matches, which is the cheap side of the trade.
 */
const secretWords = [
  'token', 'secret', 'passw', 'pwd', 'passphrase', 'code', 'signature', 'apikey', 'authkey', 'accesskey', 'privatekey', 'signingkey',
  'authorization', 'cookie', 'session', 'credential', 'interaction', 'assertion', 'ticket', 'jwt', 'bearer', 'hash', 'otp',
];
/** Short names that are secrets on their own but too common inside other words to match as a part. */
const secretNames = new Set(['key', 'sig', 'pin', 'pass', 'pw', 'sid', 'auth']);

/**
 * Values shaped like credentials this server issues, wherever they appear: every `tsr_<kind>_…`
 * value (access, API, client secret, OAuth access, refresh, code, interaction) and 40 hex digits,
 * the shape of a QuickBlox session token (and of a QuickBlox HMAC-SHA1 signature). A 40-hex run
 * that is not a secret (a SHA-1 in a path) is rare here, and hiding it costs little.
 */
const credentialShape = /tsr_[a-z]{1,8}_[A-Za-z0-9_-]*|(?<![0-9a-f])[0-9a-f]{40}(?![0-9a-f])/gi;

/**
 * False only when the text cannot hold `credentialShape`, read as it is: no `tsr_` in any case and
 * no run of 40 hex digits. One pass over the characters, about half what the pattern's scan costs;
 * every log line and every part of every logged URL is judged, and nearly all are clean.
 */
function mayHoldCredentialShape(text: string): boolean {
  let hexRun = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i) | 0x20; // ASCII letters in lower case (a few other codes fold onto digits: more lines checked, never fewer)
    if ((code >= 0x30 && code <= 0x39) || (code >= 0x61 && code <= 0x66)) {
      if (++hexRun >= 40) return true;
      continue;
    }
    hexRun = 0;
    if (code === 0x74 && (text.charCodeAt(i + 1) | 0x20) === 0x73 && (text.charCodeAt(i + 2) | 0x20) === 0x72 && text.charCodeAt(i + 3) === 0x5f) return true;
  }
  return false;
}

/** Percent-decodes what can be decoded and leaves the rest (`%zz`, a lone `%E2`), up to three layers deep. */
function decodeLeniently(text: string): string {
  let current = text;
  for (let layer = 0; layer < 3 && current.includes('%'); layer++) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      next = current.replace(/%([0-7][0-9a-f])/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    }
    if (next === current) break;
    current = next;
  }
  return current;
}

/**
 * What `isSecretName` decided about the names it saw: the same few field names (`requestId`,
 * `status`…) are judged on every log line. Bounded, and only short names are kept, so names taken
 * from requests cannot grow it.
 */
const judgedNames = new LRUCache<string, boolean>({ max: 1000 });

/** The name as a server would read it (`+` is a space in a form, percent-decoded, any case), reduced to its letters and digits. */
export function isSecretName(name: string): boolean {
  let secret = judgedNames.get(name);
  if (secret === undefined) {
    secret = judgeName(name);
    if (name.length <= 64) judgedNames.set(name, secret);
  }
  return secret;
}

function judgeName(name: string): boolean {
  const plain = decodeLeniently(name.replace(/\+/g, ' '))
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
  return secretNames.has(plain) || secretWords.some((word) => plain.includes(word));
}

/** True when the text, however it is percent-encoded, holds something shaped like an issued credential. */
function holdsCredential(text: string): boolean {
  if (!text.includes('%') && !mayHoldCredentialShape(text)) return false;
  credentialShape.lastIndex = 0;
  const found = credentialShape.test(decodeLeniently(text.replace(/\+/g, ' ')));
  credentialShape.lastIndex = 0;
  return found;
}

function redactPair(pair: string): string {
  const equals = pair.indexOf('=');
  const name = equals === -1 ? pair : pair.slice(0, equals);
  if (holdsCredential(name)) return redacted;
  if (equals === -1) return pair;
  const value = pair.slice(equals + 1);
  return isSecretName(name) || holdsCredential(value) ? `${name}=${redacted}` : pair;
}

/**
 * A URL fit for a log. Judged after decoding, as the server reads it: a query value is hidden when
 * its name is secret-ish (`access%5Ftoken`, `PASS%77ORD`, `api_token`) or when it holds an issued
 * credential; a path segment is hidden when it holds one (`/tokens/tsr_at_…`).
 * `/x?access_token=abc&y=1` → `/x?access_token=[REDACTED]&y=1`.
 */
export function redactUrl(url: string): string {
  const question = url.indexOf('?');
  const path = question === -1 ? url : url.slice(0, question);
  const query = question === -1 ? undefined : url.slice(question + 1);
  const safePath = path
    .split('/')
    .map((segment) => (holdsCredential(segment) ? redacted : segment))
    .join('/');
  return query === undefined ? safePath : `${safePath}?${query.split('&').map(redactPair).join('&')}`;
}

/**
 * The last line of defence, over each finished log line: every credential-shaped value goes,
 * plain or percent-encoded, whatever logged it (an error's message or stack, a library's text).
 */
export function redactText(text: string): string {
  const plain = mayHoldCredentialShape(text) ? text.replace(credentialShape, redacted) : text;
  // A run of URL-ish characters holding an encoded credential (`tsr%5Fat%5F…`) goes whole; most
  // lines hold no `%` at all, and the scan for such runs cost more than the rest of the line.
  if (!plain.includes('%')) return plain;
  return plain.replace(/[^\s"'<>\\]*%[0-9a-f]{2}[^\s"'<>\\]*/gi, (run) => (holdsCredential(run) ? redacted : run));
}

/** Fields with secret-ish names, at any depth of what is logged; errors are left to the line pass (their `code` is diagnostics). */
function redactFields(value: unknown, depth: number): unknown {
  if (depth > 8 || value === null || typeof value !== 'object' || value instanceof Error) return value;
  if (Array.isArray(value)) return value.map((item) => redactFields(item, depth + 1));
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) copy[key] = isSecretName(key) && field !== undefined ? redacted : redactFields(field, depth + 1);
  return copy;
}

type FlushableStream = DestinationStream & { flush?(cb?: (error?: Error) => void): void; flushSync?(): void };

/** Wraps where lines go, so that no line leaves the process with a credential in it. */
function redactingDestination(destination: FlushableStream): FlushableStream {
  return {
    write: (line: string) => destination.write(redactText(line)),
    ...(destination.flush && { flush: (cb?: (error?: Error) => void) => destination.flush!(cb) }),
    ...(destination.flushSync && { flushSync: () => destination.flushSync!() }),
  };
}

/** sonic-boom, as pino makes it (not a dependency of ours by name). */
type SonicBoom = ReturnType<typeof pino.destination>;

/**
 * Lines wait here and go to sonic-boom (pino's destination) a batch at a time. Given one line at a
 * time, sonic-boom measures its whole pending text again in bytes (up to 16 KiB) on every line,
 * which cost a cached request more than pino's own work on the line. Its buffer mode keeps a list
 * instead, but loses track of its pending lengths after a failed write, and would then write
 * the last lines padded with NULs or cut short.
 */
class LineBatch implements FlushableStream {
  private lines: string[] = [];
  private chars = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly destination: SonicBoom,
    private readonly maxChars: number,
    private readonly maxDelayMs: number,
  ) {}

  write(line: string): void {
    this.lines.push(line);
    this.chars += line.length;
    if (this.chars >= this.maxChars) this.drain();
    else if (!this.timer) {
      waitingBatches.add(this);
      this.timer = setTimeout(() => {
        this.drain();
        this.destination.flush();
      }, this.maxDelayMs).unref();
    }
  }

  /** Hands the waiting lines to sonic-boom, which writes them once it holds `minLength`, or when flushed. */
  drain(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    waitingBatches.delete(this);
    if (this.lines.length === 0) return;
    const text = this.lines.join('');
    this.lines = [];
    this.chars = 0;
    this.destination.write(text);
  }

  flush(cb?: (error?: Error) => void): void {
    this.drain();
    this.destination.flush(cb);
  }

  flushSync(): void {
    this.drain();
    this.destination.flushSync();
  }
}

/**
 * The batches holding lines. pino writes what sonic-boom holds when the process exits, whatever the
 * cause but `kill -9`; this does the same for the lines still in a batch, first. One listener for
 * every batch, and a batch is here only while it holds lines.
 */
const waitingBatches = new Set<LineBatch>();
process.on('exit', () => {
  for (const batch of waitingBatches) {
    try {
      batch.flushSync();
    } catch {
      // Nothing more can be done for the log of a process that is ending.
    }
  }
});

/**
 * Standard output, written asynchronously: lines gather up to 8 KiB (or one second) and go out in
 * one write instead of one system call per line, which cost more than the rest of a cached
 * request. pino's flush on exit and `LineBatch`'s write what is pending when the process ends,
 * whatever the cause but `kill -9`. Memory is bounded: should the reader of stdout fall 64 MiB
 * behind, newer lines are dropped rather than the server growing without end (a synchronous write
 * would stall every request).
 */
export function stdoutDestination(): FlushableStream {
  const chunk = 8 * 1024;
  // sonic-boom flushes every second too: a batch handed over while it was writing waits no longer.
  const stream = pino.destination({ dest: 1, sync: false, minLength: chunk, periodicFlush: 1000, maxLength: 64 * 1024 * 1024 });
  return new LineBatch(stream, chunk, 1000);
}

/**
 * One readable, coloured line per entry (pino-pretty), for a person at a terminal
 * (`TESSERA_LOG_FORMAT=pretty`). It formats the JSON line after redaction, so it shows no more than
 * the JSON would; written synchronously, as a development setting.
 */
export function prettyDestination(target: NodeJS.WritableStream | number = 1): FlushableStream {
  return pinoPretty({ destination: target, sync: true, colorize: target === 1 && process.stdout.isTTY, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' });
}

export function createLogger(level: string, destination: FlushableStream = stdoutDestination()): Logger {
  return pino(
    {
      level,
      formatters: { log: (object) => redactFields(object, 0) as Record<string, unknown> },
      // Headers that carry credentials, by path (their names are not all secret-ish words: `qb-token` is, `authorization` is caught by `auth`).
      redact: {
        paths: ['req.headers.authorization', 'req.headers["qb-token"]', 'req.headers.cookie', 'headers.authorization', 'headers["qb-token"]', 'headers.cookie'],
        censor: redacted,
      },
    },
    redactingDestination(destination),
  );
}
