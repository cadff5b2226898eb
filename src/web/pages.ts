import { createHash } from 'node:crypto';
import type { ApiError } from '../errors.js';

/**
 * The OAuth login, consent and error pages: server-rendered HTML that needs no JavaScript, loads
 * nothing (its one stylesheet is inline and allowed by its hash), cannot be framed (RFC 9700
 * §4.16), leaks nothing through Referer (§4.2.4), and escapes everything it echoes (RFC 6749
 * §10.14).
 */

/** Everything echoed into a page goes through this. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`=]/g, (c) => `&#${c.charCodeAt(0)};`);
}

const style = `
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;background:#f4f5f7;color:#1d2330;margin:0}
main{max-width:26rem;margin:4rem auto;background:#fff;border-radius:8px;padding:2rem;box-shadow:0 1px 4px rgba(0,0,0,.12)}
h1{font-size:1.3rem;margin:0 0 1rem}
label{display:block;margin:.8rem 0 .2rem;font-weight:600}
input[type=text],input[type=password]{width:100%;box-sizing:border-box;padding:.5rem;border:1px solid #b8bfcc;border-radius:4px;font:inherit}
button{margin-top:1.2rem;padding:.55rem 1.2rem;border:0;border-radius:4px;font:inherit;cursor:pointer;background:#2f5bd3;color:#fff}
button.secondary{background:#e6e8ee;color:#1d2330;margin-left:.5rem}
.error{background:#fdecea;color:#8a1c12;padding:.6rem .8rem;border-radius:4px}
.muted{color:#5b6475;font-size:.9rem}
ul{padding-left:1.2rem}
`;
const styleHash = createHash('sha256').update(style).digest('base64');

export interface Page {
  status: number;
  body: string;
  headers: Record<string, string>;
}

/**
 * The headers every page carries. `formOrigins` are the origins a form on the page may end up at
 * (a consent form's 303 goes to the client's redirect URI, and CSP's form-action covers redirects).
 * `Cache-Control: no-store` is not among them: the response step sets it where the spec declares it.
 */
export function pageHeaders(formOrigins: string[] = []): Record<string, string> {
  const formAction = ["'self'", ...formOrigins].join(' ');
  return {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Security-Policy': `default-src 'none'; style-src 'sha256-${styleHash}'; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`,
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
  };
}

function layout(title: string, content: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<style>${style}</style>
</head>
<body>
<main>
${content}
</main>
</body>
</html>
`;
}

/** A Map: scopes arrive from the authorization request, and `constructor` must find no description. */
const scopeDescriptions: ReadonlyMap<string, string> = new Map([
  ['read', 'Read your data in this application'],
  ['write', 'Change your data in this application'],
]);

export interface LoginPageInput {
  interaction: string;
  clientName: string;
  applicationName: string;
  username?: string;
  error?: string;
  status?: number;
  headers?: Record<string, string>;
}

export function loginPage(input: LoginPageInput): Page {
  const error = input.error ? `<p class="error" role="alert">${escapeHtml(input.error)}</p>` : '';
  const body = layout(
    `Sign in to ${input.applicationName}`,
    `<h1>Sign in to ${escapeHtml(input.applicationName)}</h1>
<p class="muted">${escapeHtml(input.clientName)} wants to use your account.</p>
${error}
<form method="post" action="/oauth/authorize/login">
<input type="hidden" name="interaction" value="${escapeHtml(input.interaction)}">
<label for="username">Username or email</label>
<input type="text" id="username" name="username" autocomplete="username" required autofocus value="${escapeHtml(input.username ?? '')}">
<label for="password">Password</label>
<input type="password" id="password" name="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>`,
  );
  return { status: input.status ?? 200, body, headers: { ...pageHeaders(), ...input.headers } };
}

export interface ConsentPageInput {
  interaction: string;
  clientName: string;
  applicationName: string;
  username: string;
  scopes: string[];
  /** Where the client's answer goes; shown so the user sees who receives it, and allowed by form-action. */
  redirectUri: string;
}

export function consentPage(input: ConsentPageInput): Page {
  const scopes = input.scopes.map((s) => `<li>${escapeHtml(scopeDescriptions.get(s) ?? s)} <span class="muted">(${escapeHtml(s)})</span></li>`).join('\n');
  const target = new URL(input.redirectUri);
  const body = layout(
    `Allow ${input.clientName}?`,
    `<h1>Allow ${escapeHtml(input.clientName)} to use your account?</h1>
<p>Signed in as <strong>${escapeHtml(input.username)}</strong> in ${escapeHtml(input.applicationName)}.</p>
<p>${escapeHtml(input.clientName)} asks to:</p>
<ul>
${scopes}
</ul>
<p class="muted">You will be sent back to ${escapeHtml(target.host)}.</p>
<form method="post" action="/oauth/authorize/consent">
<input type="hidden" name="interaction" value="${escapeHtml(input.interaction)}">
<button type="submit" name="decision" value="approve">Allow</button>
<button type="submit" name="decision" value="deny" class="secondary">Deny</button>
</form>`,
  );
  return { status: 200, body, headers: pageHeaders([target.origin]) };
}

/** An error shown to the user, never sent to the client: used before a redirect URI can be trusted. */
export function errorPage(error: Pick<ApiError, 'status' | 'code' | 'description' | 'headers'>): Page {
  const body = layout(
    'Authorization failed',
    `<h1>This request cannot be completed</h1>
<p class="error" role="alert">${escapeHtml(error.description)}</p>
<p class="muted">Error: ${escapeHtml(error.code)}. Go back to the application you came from and try again.</p>`,
  );
  return { status: error.status, body, headers: { ...error.headers, ...pageHeaders() } };
}
