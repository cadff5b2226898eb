import type { ApplicationRecord } from '../db/repositories/applications.js';
import type { OrganizationRecord } from '../db/repositories/organizations.js';
import type { Standing } from '../auth/authorize.js';
import type { PresentedCredential } from '../auth/authentication.js';
import type { Principal } from '../auth/principal.js';
import type { ErrorFamily } from './families.js';

/** The request handed to openapi-backend: a plain object (tooling.md §1.1: Koa's getters do not survive `{...req}`). */
export interface PlainRequest {
  method: string;
  path: string;
  query: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

/** What the pipeline learns about a request, in `ctx.state`, step by step. */
export interface RequestState {
  requestId: string;
  startedAt: number;
  /** Set once the operation is known, so errors are rendered in its family's shape. */
  family?: ErrorFamily;
  operationId?: string;
  /** The operation answers with HTML pages, so its errors are pages too for a browser. */
  answersWithPages?: boolean;
  /** Set by the security step; a guest when no credential was sent and the operation allows that. */
  principal?: Principal;
  /** The credential the request presented, as the security step read it (none for a guest); handlers read it here, never from headers. */
  presented?: PresentedCredential;
  /** The organization and application named by the path, once resolved. */
  organization?: OrganizationRecord;
  application?: ApplicationRecord;
  /** How the authorization step let the principal through (an administrator, or the record's owner). */
  standing?: Standing;
  /** The request as handed to openapi-backend (its body is coerced in place for form clients). */
  plainRequest?: PlainRequest;
  /** Per-request memo of credential resolution, so two schemes reading one header resolve it once. */
  credentialMemo?: Map<string, Promise<unknown>>;
}
