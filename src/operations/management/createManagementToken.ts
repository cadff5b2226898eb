import type { Deps } from '../../deps.js';
import { expiresInSeconds, issueAccessToken, resolveTtl } from '../../domain/access-tokens.js';
import { guardedAttempt } from '../../auth/attempts.js';
import { authenticateAdmin } from '../../domain/admin-users.js';
import { adminUserView } from '../../domain/views.js';
import { InvalidRequest } from '../../errors.js';
import type { OperationHandler } from '../../http/operation-types.js';

/** `POST /management/token`: an admin's (or the superuser's) password for an access token. */
export const createManagementToken = (deps: Deps): OperationHandler<'createManagementToken'> => async (c, ctx) => {
  const { username, password, ttl } = c.request.requestBody;
  if (!username || !password) throw new InvalidRequest('username and password are required for grant_type=password');
  const ttlMs = resolveTtl(ttl, deps.config.accessTokenTtlMs);
  const admin = await guardedAttempt(
    { throttle: deps.throttle, auditEvents: deps.repositories.auditEvents, clock: deps.clock },
    { kind: 'admin-password', subject: username, ip: ctx.ip },
    () => authenticateAdmin(deps, username, password),
  );
  const { value, token } = await issueAccessToken(deps, {
    principalKind: admin.superuser ? 'superuser' : 'orgAdmin',
    subjectKind: 'admin',
    subjectId: admin.id,
    organizationId: null,
    applicationId: null,
    ttlMs,
  });
  return {
    status: 200,
    headers: { 'Cache-Control': 'no-store', Pragma: 'no-cache' },
    body: {
      access_token: value,
      expires_in: expiresInSeconds(token),
      passwordChanged: admin.passwordChangedAt,
      user: await adminUserView(deps.repositories, admin),
    },
  };
};
