import type { components } from '../../generated/openapi.js';
import type { ApplicationRecord } from '../db/repositories/applications.js';
import type { AppUserRecord } from '../db/repositories/app-users.js';
import type { Deps } from '../deps.js';
import { authenticateAppUser, keepIfAccountUnchanged } from '../domain/app-users.js';
import { InvalidGrant } from '../errors.js';
import { constantTimeEqual } from '../secrets/constant-time.js';
import type { SessionMetadata, TokenRecord } from '../tokens/kinds.js';
import type { IssuedToken } from '../tokens/token-store.js';
import { FieldRefused, SessionRequestRefused, WrongUserCredentials } from './errors.js';
import { timestampWindowS, type NonceLedger } from './nonces.js';
import { signatureMatches } from './signature.js';
import { isoSeconds } from './wire.js';

type Schemas = components['schemas'];
export type SessionRequest = Schemas['QuickBloxSessionRequest'];
type SessionDeps = Pick<Deps, 'repositories' | 'tenants' | 'tokens' | 'clock' | 'config' | 'secretBox' | 'bruteForceGuard'>;

/**
 * A QuickBlox session is a row of the one token store (kind `session`): its id is the session's
 * id, its subject the user signed in to it (none for an application session), its sliding expiry
 * the application's `sessionttl`, its absolute expiry `sessionlifetime` after it was opened (no
 * use extends it, so neither does `QB-Token-ExpirationDate`). Beside it, in the metadata
 * (`SessionMetadata`): the nonce and timestamp it was opened with (shown as `nonce` and `ts`) and
 * when its user last changed (`updated_at`).
 */
export function sessionView(token: TokenRecord<'session'>, value: string): Schemas['QuickBloxSession'] {
  const { nonce, ts, updatedAt } = token.metadata;
  return {
    application_id: token.applicationId ?? 0,
    created_at: isoSeconds(token.createdAt),
    id: token.id,
    nonce,
    token: value,
    ts,
    updated_at: isoSeconds(updatedAt),
    user_id: token.subjectId ?? 0,
    _id: String(token.id),
  };
}

export interface UserCredentials {
  login?: string;
  email?: string;
  password: string;
}

/**
 * A QuickBlox user's login (or email; the SDK prefers the login when both are given) and
 * password, checked under the brute-force throttle shared with every other password sign-in.
 */
export async function checkUserCredentials(
  deps: SessionDeps,
  application: Pick<ApplicationRecord, 'id' | 'organizationId'>,
  credentials: UserCredentials,
  ip: string,
): Promise<AppUserRecord> {
  const login = credentials.login || credentials.email;
  if (!login) throw new FieldRefused('base', 'login or email is required');
  try {
    return await authenticateAppUser(deps, application, login, credentials.password, ip);
  } catch (error) {
    if (error instanceof InvalidGrant) throw new WrongUserCredentials();
    throw error;
  }
}

/** `keepIfAccountUnchanged`, failing as a wrong password does on QuickBlox routes. */
export async function keepIfUserUnchanged(deps: Pick<Deps, 'repositories'>, user: AppUserRecord, revokeIssued: () => Promise<unknown>): Promise<void> {
  try {
    await keepIfAccountUnchanged(deps, user, revokeIssued);
  } catch (error) {
    if (error instanceof InvalidGrant) throw new WrongUserCredentials();
    throw error;
  }
}

/**
 * `POST /session.json`, checked in QuickBlox's order (reference §12): the application, the
 * auth_key and signature, the timestamp, the nonce, then the user's credentials if any.
 * `signed` is the body as the client sent it (the signature covers its raw values).
 */
export async function openSession(
  deps: SessionDeps,
  nonces: NonceLedger,
  request: SessionRequest,
  signed: Record<string, unknown>,
  ip: string,
): Promise<IssuedToken<'session'>> {
  // The tenant cache's copy (a rotation elsewhere reaches it within its TTL): the secret is checked
  // again against the row itself once the session is stored, below.
  const application = await deps.tenants.applicationById(request.application_id);
  if (!application) throw new SessionRequestRefused('No application found');
  // No throttle here: the auth_secret is 192 random bits, beyond guessing, and a throttle per
  // application would let anyone lock all of its clients out with bad signatures.
  const authSecret = deps.secretBox.open(application.authSecretSealed);
  const signatureOk = signatureMatches(signed, request.signature, authSecret);
  const authKeyOk = constantTimeEqual(request.auth_key, application.authKey);
  if (!signatureOk || !authKeyOk) throw new SessionRequestRefused('Unexpected signature');
  if (Math.abs(deps.clock.now() / 1000 - request.timestamp) > timestampWindowS) throw new SessionRequestRefused('Bad timestamp');
  if (request.provider !== undefined) throw new FieldRefused('provider', 'is not supported');
  // Recorded only once the signature is good, or anyone could use up an application's nonces.
  // QuickBlox does not document the answer to a replay; this is the one it gives a bad signature.
  if (!(await nonces.accept(application.id, request.timestamp, request.nonce))) throw new SessionRequestRefused('Unexpected signature');
  const user = request.user ? await checkUserCredentials(deps, application, request.user, ip) : undefined;

  const metadata: SessionMetadata = { nonce: request.nonce, ts: request.timestamp, updatedAt: deps.clock.now() };
  const issued = await deps.tokens.issue('session', {
    principalKind: user ? 'appUser' : 'appSession',
    organizationId: application.organizationId,
    applicationId: application.id,
    subjectId: user?.id ?? null,
    ceiling: user ? 'write' : 'read',
    metadata,
    lifetimeMs: application.sessionLifetimeS * 1000,
    idleTtlMs: application.sessionTtlS * 1000,
  });
  // Rotating the auth secret revokes the application's sessions; one signed with the old secret
  // and stored just after that revocation is caught here, where the secret is seen to have changed.
  // A sealed value that changed is opened: `tessera rotate-key` re-seals the same secret meanwhile.
  const current = await deps.repositories.applications.findById(application.id);
  if (!current || (current.authSecretSealed !== application.authSecretSealed && !constantTimeEqual(deps.secretBox.open(current.authSecretSealed), authSecret))) {
    await deps.tokens.revokeOne(issued.token);
    throw new SessionRequestRefused('Unexpected signature');
  }
  if (user) await keepIfUserUnchanged(deps, user, () => deps.tokens.revokeOne(issued.token));
  return issued;
}

/**
 * Signs a user in to the session, or out of it (`null`), keeping its token (reference §3, §4);
 * the next request reads the rebound row. False when it ended meanwhile, or, for a sign-in, when it
 * changed (another sign-in or a sign-out) since this request read it: nothing was written.
 */
export function setSessionUser(deps: Pick<Deps, 'tokens' | 'clock'>, token: TokenRecord<'session'>, user: AppUserRecord | null): Promise<boolean> {
  const metadata = { ...token.metadata, updatedAt: deps.clock.now() };
  if (user) return deps.tokens.rebind(token, { principalKind: 'appUser', subjectId: user.id, ceiling: 'write', metadata });
  return deps.tokens.rebind(token, { principalKind: 'appSession', subjectId: null, ceiling: 'read', metadata }, false);
}
