import type { TokenRow } from '../db/repositories/tokens.js';
import { randomHex40, randomSecret } from '../secrets/random.js';
import { ceilings, isOneOf, principalKinds, subjectKinds, type Ceiling, type PrincipalKind, type SubjectKind } from './fields.js';

/**
 * The registry of token kinds (fosite's token strategy, split from the storage in
 * `token-store.ts`): for each kind, how its value is made, what every token of the kind is issued
 * with, and the shape of its metadata, checked when a row is read back.
 */

/** Whom a token stands for, beside its kind and metadata: what an issuer fills in. */
export interface TokenFields {
  principalKind: PrincipalKind;
  organizationId: number | null;
  applicationId: number | null;
  subjectKind: SubjectKind;
  subjectId: number | null;
  ceiling: Ceiling;
  scopes: string[];
  /** The client it was issued to (OAuth), or obtained with (a Usergrid client's secret), if any. */
  clientId: string | null;
  name: string | null;
  /** The grant it dies with: revoking the family revokes it. */
  familyId: string | null;
  /** Sliding expiry: the token dies this long after its last use; null = none. */
  idleTtlMs: number | null;
}

/**
 * A QuickBlox session's: the nonce and timestamp it was opened with (shown as `nonce` and `ts`) and
 * when its user last changed (`updated_at`).
 */
export interface SessionMetadata {
  nonce: number;
  ts: number;
  updatedAt: number;
}

/** What an authorization code is bound to (RFC 6749 §4.1.3, RFC 7636 §4.4). */
export interface CodeBinding {
  redirectUri: string;
  /** The authorization request named `redirect_uri` (rather than leaving the only registered one implied). */
  redirectUriSent: boolean;
  codeChallenge?: string;
}

/** Kept with a refresh token when it is rotated, so that an identical retry can be told from a replay. */
export interface Rotation {
  at: number;
  /** The refresh token that replaced this one. */
  successorId: number;
  /** Which client asked for which scope: a retry must ask the same. */
  requestHash: string;
  /** The answer, sealed with a key only the presented refresh token yields (the database never sees it). */
  sealedResponse: string;
}

/** A refresh token's place in its grant's chain of rotations, and its own rotation once used. */
export interface RefreshMetadata {
  generation: number;
  rotation?: Rotation;
}

/**
 * An authorization request on its way through the login and consent pages (`oauth/interactions.ts`),
 * bound to the browser that started it.
 */
export interface InteractionState {
  redirectUri: string;
  redirectUriSent: boolean;
  state?: string;
  codeChallenge?: string;
  /** SHA-256 of the browser cookie. */
  browser: string;
}

/** The kinds that keep nothing beside their fields (stored as a null column). */
export type NoMetadata = Record<string, never>;

/**
 * Each kind's metadata, and the fields it is always issued with (its issuer may not choose them;
 * `TokenStore.rebind` may change some later, as a sign-in does).
 */
interface Kinds {
  /** Usergrid's access token, of an admin, an application user or a client. */
  access: { metadata: NoMetadata; issuedWith: 'ceiling' | 'scopes' | 'name' | 'idleTtlMs' };
  /** Quable's API token: long-lived, for one application, tied to no user. */
  api: { metadata: NoMetadata; issuedWith: 'principalKind' | 'subjectKind' | 'subjectId' | 'scopes' | 'familyId' | 'idleTtlMs' };
  /** A QuickBlox session: its id is the session's, its sliding expiry the application's `sessionttl`. */
  session: { metadata: SessionMetadata; issuedWith: 'subjectKind' | 'scopes' | 'clientId' | 'name' | 'familyId' };
  oauth_access: { metadata: NoMetadata; issuedWith: 'name' | 'idleTtlMs' };
  oauth_refresh: { metadata: RefreshMetadata; issuedWith: 'name' | 'idleTtlMs' };
  authorization_code: { metadata: CodeBinding; issuedWith: 'name' | 'idleTtlMs' };
  /** An OAuth authorization request between its pages; a guest's until the user signs in. */
  oauth_interaction: {
    metadata: InteractionState;
    issuedWith: 'principalKind' | 'subjectKind' | 'subjectId' | 'ceiling' | 'name' | 'familyId' | 'idleTtlMs';
  };
}
export type TokenKind = keyof Kinds;
export type MetadataOf<K extends TokenKind> = Kinds[K]['metadata'];

interface KindSpec<K extends TokenKind> {
  /** A new value: long, random, and (but for QuickBlox's own shape) behind a prefix logs and secret scanners recognise. */
  newValue: () => string;
  /** The issuer's fields, completed with what the kind fixes and what the issuer left unset. */
  fields: (given: GivenFields<K>) => TokenFields;
  /** Whether metadata read back from a row is this kind's; a row whose metadata is not fails closed. */
  isMetadata: (metadata: unknown) => metadata is MetadataOf<K>;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
const isOptionalString = (value: unknown): value is string | undefined => value === undefined || typeof value === 'string';

const isNoMetadata = (metadata: unknown): metadata is NoMetadata => isObject(metadata) && Object.keys(metadata).length === 0;

const isSessionMetadata = (m: unknown): m is SessionMetadata =>
  isObject(m) && typeof m.nonce === 'number' && typeof m.ts === 'number' && typeof m.updatedAt === 'number';

const isCodeBinding = (m: unknown): m is CodeBinding =>
  isObject(m) && typeof m.redirectUri === 'string' && typeof m.redirectUriSent === 'boolean' && isOptionalString(m.codeChallenge);

const isRotation = (r: unknown): r is Rotation =>
  isObject(r) && typeof r.at === 'number' && isCount(r.successorId) && typeof r.requestHash === 'string' && typeof r.sealedResponse === 'string';

const isRefreshMetadata = (m: unknown): m is RefreshMetadata => isObject(m) && isCount(m.generation) && (m.rotation === undefined || isRotation(m.rotation));

const isInteractionState = (m: unknown): m is InteractionState =>
  isObject(m) && isCodeBinding(m) && isOptionalString(m.state) && typeof m.browser === 'string';

/** 256 random bits, base64url, behind the kind's prefix. */
const prefixed = (prefix: string) => () => randomSecret(prefix);

/** Fields an issuer may leave out: none of them (`null`, no scopes). */
type Omittable = 'scopes' | 'clientId' | 'name' | 'familyId' | 'idleTtlMs';
const unset: Pick<TokenFields, Omittable> = { scopes: [], clientId: null, name: null, familyId: null, idleTtlMs: null };

/**
 * The issuer's fields completed: each field the kind fixes, else the issuer's, else `unset`'s.
 * Written out field by field: spreading the issuer's fields and then adding the kind's
 * (`{ ...unset, ...given, ceiling }`) is Node 20's V8 slow path for object literals, ~6 µs per
 * issued token in a loop and 4% of a client-credentials grant in a CPU profile.
 */
function completed(given: Partial<TokenFields>, fixed: Partial<TokenFields>): TokenFields {
  const field = <F extends keyof TokenFields>(name: F) =>
    (Object.hasOwn(fixed, name) ? fixed[name] : given[name] !== undefined ? given[name] : (unset as Partial<TokenFields>)[name]) as TokenFields[F];
  return {
    principalKind: field('principalKind'),
    organizationId: field('organizationId'),
    applicationId: field('applicationId'),
    subjectKind: field('subjectKind'),
    subjectId: field('subjectId'),
    ceiling: field('ceiling'),
    scopes: field('scopes'),
    clientId: field('clientId'),
    name: field('name'),
    familyId: field('familyId'),
    idleTtlMs: field('idleTtlMs'),
  };
}

/** The fields an issuer gives for a token of kind K: all but those the kind fixes, the omittable ones optional. */
export type GivenFields<K extends TokenKind> = Omit<TokenFields, Kinds[K]['issuedWith'] | Omittable> &
  Partial<Pick<TokenFields, Exclude<Omittable, Kinds[K]['issuedWith']>>>;

/**
 * What `TokenStore.issue` needs for a token of kind K: the fields, its metadata if the kind keeps
 * any, and how long it lives from now (`null`: until revoked).
 */
export type IssueFields<K extends TokenKind> = GivenFields<K> & { lifetimeMs: number | null } & (MetadataOf<K> extends NoMetadata
    ? { metadata?: never }
    : { metadata: MetadataOf<K> });

/** Every kind of token the server issues. Prefixes live here and nowhere else. */
export const tokenKinds: { [K in TokenKind]: KindSpec<K> } = {
  access: {
    newValue: prefixed('tsr_at_'),
    fields: (given) => completed(given, { ceiling: 'write', scopes: [], name: null, idleTtlMs: null }),
    isMetadata: isNoMetadata,
  },
  api: {
    newValue: prefixed('tsr_api_'),
    fields: (given) => completed(given, { principalKind: 'apiToken', subjectKind: 'none', subjectId: null, scopes: [], familyId: null, idleTtlMs: null }),
    isMetadata: isNoMetadata,
  },
  session: {
    // QuickBlox's SDKs expect a session token of 40 hex digits, so it carries no prefix.
    newValue: randomHex40,
    fields: (given) => completed(given, { subjectKind: 'user', scopes: [], clientId: null, name: null, familyId: null }),
    isMetadata: isSessionMetadata,
  },
  oauth_access: {
    newValue: prefixed('tsr_oat_'),
    fields: (given) => completed(given, { name: null, idleTtlMs: null }),
    isMetadata: isNoMetadata,
  },
  oauth_refresh: {
    newValue: prefixed('tsr_ort_'),
    fields: (given) => completed(given, { name: null, idleTtlMs: null }),
    isMetadata: isRefreshMetadata,
  },
  authorization_code: {
    newValue: prefixed('tsr_oac_'),
    fields: (given) => completed(given, { name: null, idleTtlMs: null }),
    isMetadata: isCodeBinding,
  },
  oauth_interaction: {
    newValue: prefixed('tsr_oai_'),
    fields: (given) => completed(given, { principalKind: 'guest', subjectKind: 'user', subjectId: null, ceiling: 'read', name: null, familyId: null, idleTtlMs: null }),
    isMetadata: isInteractionState,
  },
};

const isTokenKind = (kind: string): kind is TokenKind => Object.hasOwn(tokenKinds, kind);

/** One issued credential value, as stored: never the value itself, only its SHA-256. */
export interface StoredToken<K extends TokenKind> extends TokenFields {
  id: number;
  hash: string;
  kind: K;
  metadata: MetadataOf<K>;
  createdAt: number;
  /** Absolute expiry, ms; null = none. */
  expiresAt: number | null;
  lastUsedAt: number;
  revokedAt: number | null;
}
/** A stored token of kind K; without K, of any kind, told apart by `kind` (which types its metadata). */
export type TokenRecord<K extends TokenKind = TokenKind> = { [P in K]: StoredToken<P> }[K];

/**
 * A row read back as a token of `kind`, or undefined when it is another kind's or any of its
 * principal, subject, ceiling or metadata is not one this server writes: such a row fails closed,
 * as if it were unknown.
 */
export function tokenOfKind<K extends TokenKind>(kind: K, row: TokenRow): TokenRecord<K> | undefined {
  const { principalKind, subjectKind, ceiling, metadata } = row;
  if (row.kind !== kind || !isOneOf(principalKinds, principalKind) || !isOneOf(subjectKinds, subjectKind) || !isOneOf(ceilings, ceiling)) return undefined;
  if (!tokenKinds[kind].isMetadata(metadata)) return undefined;
  const token: StoredToken<K> = { ...row, kind, principalKind, subjectKind, ceiling, metadata };
  return token;
}

/** A row read back, typed by its own kind (see `tokenOfKind`). */
export function tokenFromRow(row: TokenRow): TokenRecord | undefined {
  return isTokenKind(row.kind) ? tokenOfKind(row.kind, row) : undefined;
}
