import type { ApplicationRecord } from '../db/repositories/applications.js';
import type { OrganizationRecord } from '../db/repositories/organizations.js';
import { CredentialRequired, Forbidden, ReadOnlyCredential } from '../errors.js';
import type { Principal } from './principal.js';

/**
 * The rule an operation declares with `x-access` in the spec:
 * - `anyone`: no credential needed (token endpoints);
 * - `authenticated`: any principal but a guest;
 * - `organization-signup`: the superuser, or anyone when sign-up is enabled;
 * - `organization-admin`: someone who administers the organization in the path;
 * - `application-data`: someone who reaches the application in the path;
 * - `superuser`: the superuser only.
 */
export type AccessRule = 'anyone' | 'authenticated' | 'organization-signup' | 'organization-admin' | 'application-data' | 'superuser';
export type Action = 'read' | 'write';

export interface AccessRequest {
  rule: AccessRule;
  action: Action;
  organization?: OrganizationRecord;
  application?: ApplicationRecord;
}

/** What the decision may need to look up. */
export interface AuthorizationFacts {
  isOrganizationAdmin(organizationId: number, adminUserId: number): Promise<boolean>;
  organizationSignup: boolean;
}

function deny(principal: Principal): never {
  // 401 means "who are you?", 403 means "you may not": a guest gets the former.
  if (principal.kind === 'guest') throw new CredentialRequired();
  throw new Forbidden();
}

async function administers(principal: Principal, organizationId: number, facts: AuthorizationFacts): Promise<boolean> {
  switch (principal.kind) {
    case 'superuser':
      return true;
    case 'orgAdmin':
      return principal.userId !== undefined && facts.isOrganizationAdmin(organizationId, principal.userId);
    case 'orgClient':
      return principal.organizationId === organizationId;
    default:
      return false;
  }
}

/**
 * The one place that decides what a principal may do. The ceiling comes first (a read-only
 * credential never writes, whatever else it could reach), then the reach of the principal into
 * the organization or application named by the path.
 */
export async function authorize(principal: Principal, request: AccessRequest, facts: AuthorizationFacts): Promise<void> {
  if (request.action === 'write' && principal.ceiling === 'read') throw new ReadOnlyCredential();

  switch (request.rule) {
    case 'anyone':
      return;
    case 'authenticated':
      if (principal.kind === 'guest') throw new CredentialRequired();
      return;
    case 'superuser':
      if (principal.kind !== 'superuser') deny(principal);
      return;
    case 'organization-signup':
      if (principal.kind === 'superuser' || facts.organizationSignup) return;
      deny(principal);
    case 'organization-admin': {
      const organization = request.organization;
      if (!organization || !(await administers(principal, organization.id, facts))) deny(principal);
      return;
    }
    case 'application-data': {
      const application = request.application;
      if (!application) deny(principal);
      if (await administers(principal, application.organizationId, facts)) return;
      if (principal.applicationId === application.id && principal.kind !== 'guest') return;
      deny(principal);
    }
  }
}
