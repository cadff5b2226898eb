/** The three error shapes the server speaks; each operation names its own with `x-error-family`. */
export type ErrorFamily = 'usergrid' | 'oauth' | 'quickblox';

/**
 * Errors that carry their HTTP meaning (status, wire code, description, headers), thrown anywhere
 * and rendered once per route family by `http/error-renderer.ts`. Modelled on node-oidc-provider's
 * `lib/helpers/errors.js` and Koa's `expose`/`headers` protocol.
 */

/** How QuickBlox spells an error body: a list, or messages keyed by field (`base` = the whole request). */
export type QuickBloxErrorBody = { errors: string[] } | { errors: Record<string, string[]> };

export interface ApiErrorOptions {
  headers?: Record<string, string>;
  /** The exact QuickBlox body, where QuickBlox's wording differs from the generic one. */
  quickblox?: QuickBloxErrorBody;
  /** The status QuickBlox uses for this error, where it differs. */
  quickbloxStatus?: number;
}

export class ApiError extends Error {
  readonly expose = true;
  readonly headers: Record<string, string>;
  readonly quickblox?: QuickBloxErrorBody;
  readonly quickbloxStatus?: number;

  constructor(
    readonly status: number,
    /** The stable machine-readable code (`invalid_request`, `invalid_grant`, …). */
    readonly code: string,
    /** A sentence for people; never a secret, never an exception class name. */
    readonly description: string,
    options: ApiErrorOptions = {},
  ) {
    super(description);
    this.name = new.target.name;
    this.headers = options.headers ?? {};
    this.quickblox = options.quickblox;
    this.quickbloxStatus = options.quickbloxStatus;
  }
}

const realm = 'tessera';

/** RFC 6750 §3: quoted-string values; descriptions are limited to the characters §3 allows. */
export function bearerChallenge(error?: string, description?: string, scope?: string): string {
  const parts = [`realm="${realm}"`];
  if (error) parts.push(`error="${error}"`);
  if (description) parts.push(`error_description="${description.replace(/[^\x20-\x21\x23-\x5B\x5D-\x7E]/g, '')}"`);
  if (scope) parts.push(`scope="${scope}"`);
  return `Bearer ${parts.join(', ')}`;
}

export class InvalidRequest extends ApiError {
  constructor(description: string, options: ApiErrorOptions = {}) {
    super(400, 'invalid_request', description, options);
  }
}

/**
 * A value the schema allows but Tessera's rules refuse (a reserved name, a `ttl` past the maximum):
 * Usergrid's `illegal_argument`.
 */
export class IllegalArgument extends ApiError {
  constructor(description: string) {
    super(400, 'illegal_argument', description);
  }
}

/** A request that breaks the spec's schema; `fields` maps a field (or `base`) to its problems. */
export class ValidationFailed extends ApiError {
  constructor(description: string, readonly fields: Record<string, string[]>) {
    // QuickBlox answers validation problems with 422 and the messages keyed by field.
    super(400, 'invalid_request', description, { quickblox: { errors: fields }, quickbloxStatus: 422 });
  }
}

/** 401 with no credential at all: the challenge carries no error code (RFC 6750 §3.1). */
export class CredentialRequired extends ApiError {
  constructor(description = 'Unable to authenticate: no credentials were sent') {
    super(401, 'unauthorized', description, {
      headers: { 'WWW-Authenticate': bearerChallenge() },
      quickblox: { errors: ['Token is required'] },
    });
  }
}

/** 401 for a token that is unknown, malformed or revoked. Deliberately says nothing more. */
export class InvalidToken extends ApiError {
  constructor(description = 'Unable to authenticate: the access token is not valid') {
    super(401, 'invalid_token', description, {
      headers: { 'WWW-Authenticate': bearerChallenge('invalid_token', description) },
      quickblox: { errors: { base: ['Required session does not exist'] } },
    });
  }
}

export class ExpiredToken extends ApiError {
  constructor(description = 'Unable to authenticate due to expired access token') {
    super(401, 'expired_token', description, {
      headers: { 'WWW-Authenticate': bearerChallenge('invalid_token', description) },
      quickblox: { errors: { base: ['Required session does not exist'] } },
    });
  }
}

/** 401 for a client id and secret that do not match (RFC 6749 §5.2). */
export class InvalidClient extends ApiError {
  constructor(description = 'Unable to authenticate the client', options: { basic?: boolean } = {}) {
    super(401, 'invalid_client', description, {
      headers: { 'WWW-Authenticate': options.basic ? `Basic realm="${realm}"` : bearerChallenge('invalid_client') },
    });
  }
}

export class InvalidGrant extends ApiError {
  constructor(description = 'invalid username or password', options: ApiErrorOptions = {}) {
    super(400, 'invalid_grant', description, options);
  }
}

/** RFC 6749 §5.2: the client may not use this grant type. */
export class UnauthorizedClient extends ApiError {
  constructor(description: string) {
    super(400, 'unauthorized_client', description);
  }
}

/** RFC 6749 §5.2: the server knows no such grant type. */
export class UnsupportedGrantType extends ApiError {
  constructor(description: string) {
    super(400, 'unsupported_grant_type', description);
  }
}

/** RFC 6749 §5.2: an unknown scope, or wider than the grant allows. */
export class InvalidScope extends ApiError {
  constructor(description: string) {
    super(400, 'invalid_scope', description);
  }
}

/** RFC 7009 §2.2.1: a token type the server does not revoke. */
export class UnsupportedTokenType extends ApiError {
  constructor(description: string) {
    super(400, 'unsupported_token_type', description);
  }
}

/** RFC 7591 §3.2.2: a client registration the server refuses (`invalid_redirect_uri`, `invalid_client_metadata`). */
export class InvalidClientMetadata extends ApiError {
  constructor(description: string, code: 'invalid_redirect_uri' | 'invalid_client_metadata' = 'invalid_client_metadata') {
    super(400, code, description);
  }
}

/** A valid credential that may not do this. */
export class Forbidden extends ApiError {
  constructor(description = 'Subject does not have permission to access this resource', code = 'forbidden', options: ApiErrorOptions = {}) {
    super(403, code, description, options);
  }
}

/** A read-only credential (QuickBlox application session, read API token, OAuth without `write`) tried to write. */
export class ReadOnlyCredential extends Forbidden {
  constructor() {
    super('This credential may only read', 'insufficient_scope', {
      headers: { 'WWW-Authenticate': bearerChallenge('insufficient_scope', 'This credential may only read', 'write') },
      // QuickBlox answers an application session's write with 422, not 403 (reference §9).
      quickblox: { errors: { base: ['Forbidden. Need user.'] } },
      quickbloxStatus: 422,
    });
  }
}

/** RFC 6750 §3.1: an OAuth token without a scope the operation requires. */
export class InsufficientScope extends Forbidden {
  constructor(description: string, scope?: string) {
    super(description, 'insufficient_scope', { headers: { 'WWW-Authenticate': bearerChallenge('insufficient_scope', description, scope) } });
  }
}

export class NotFound extends ApiError {
  constructor(description = 'Not found', code = 'not_found') {
    super(404, code, description);
  }
}

export class MethodNotAllowed extends ApiError {
  constructor(allowed: string[]) {
    super(405, 'method_not_allowed', 'This method is not allowed here', { headers: { Allow: allowed.join(', ') } });
  }
}

export class Conflict extends ApiError {
  constructor(description: string, code = 'duplicate_unique_property_exists') {
    super(409, code, description, { quickbloxStatus: 422 });
  }
}

export class PayloadTooLarge extends ApiError {
  constructor(limit: number) {
    super(413, 'request_too_large', `The request body is larger than ${limit} bytes`);
  }
}

/**
 * An entity or custom object whose stored JSON would pass the per-entity bound (config
 * `entityMaxBytes`). 400 as a malformed request rather than 413, which here means the body limit;
 * QuickBlox answers with its validation status, 422.
 */
export class EntityTooLarge extends ApiError {
  constructor(maxBytes: number) {
    const description = `The entity would be larger than ${maxBytes} bytes of JSON`;
    super(400, 'entity_too_large', description, { quickblox: { errors: { base: [description] } }, quickbloxStatus: 422 });
  }
}

/** A write that would take an application past its storage quota (bytes or count of entities). */
export class StorageQuotaExceeded extends ApiError {
  constructor(description = "The application's storage quota is used up; delete entities to make room") {
    super(400, 'storage_quota_exceeded', description, { quickblox: { errors: { base: [description] } }, quickbloxStatus: 422 });
  }
}

export class UnsupportedMediaType extends ApiError {
  constructor(allowed: string[]) {
    super(415, 'unsupported_media_type', `The request body must be ${allowed.join(' or ')}`);
  }
}

export class TooManyRequests extends ApiError {
  constructor(retryAfterSeconds: number, description = 'Too many attempts; try again later') {
    super(429, 'too_many_requests', description, { headers: { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) } });
  }
}

/** The server built a response the spec does not allow (only with response validation on). */
export class ResponseBreaksSpec extends ApiError {
  constructor(description: string) {
    super(502, 'response_breaks_spec', description);
  }
}

export class InternalError extends ApiError {
  constructor() {
    super(500, 'server_error', 'The server could not answer this request');
  }
}

/**
 * The database is out of reach for now (down, restarting, cut off, too slow): 503 with
 * `Retry-After`, so clients and load balancers retry rather than take it as the server's fault.
 * `temporarily_unavailable` is RFC 6749 §4.1.2.1's code for exactly this.
 */
export class ServiceUnavailable extends ApiError {
  constructor(retryAfterSeconds: number, description = 'The service is temporarily unavailable; retry shortly') {
    super(503, 'temporarily_unavailable', description, { headers: { 'Retry-After': String(retryAfterSeconds) } });
  }
}

/*
 * Two refusals `auth/authorize.ts` decides, worded as QuickBlox words them (its reference §9), since
 * QuickBlox routes are where they are met; on other routes they read as any 403.
 */

/** A user acting on another user's record, or on a custom object someone else created. */
export class NotYourRecord extends Forbidden {
  constructor() {
    super("You don't have appropriate permissions to perform this operation");
  }
}

/**
 * An application session (no user signed in) asked for more than its application lets such a
 * session do: QuickBlox's answer to an application session doing what needs a user (reference §9).
 */
export class UserRequired extends Forbidden {
  constructor() {
    super('An application session may not do this; sign a user in', 'forbidden', {
      quickblox: { errors: { base: ['Forbidden. Need user.'] } },
      quickbloxStatus: 422,
    });
  }
}
