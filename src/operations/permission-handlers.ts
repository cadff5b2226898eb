import type { Deps } from '../deps.js';
import { grantPermission, listPermissions, revokePermission } from '../domain/permission-changes.js';
import type { TesseraContext } from './types.js';
import { dataEnvelope } from '../usergrid/envelopes.js';
import { holderIn, type HolderKind } from './permission-holders.js';
import { recordAction } from './audit.js';
import { normalizePermission } from '../auth/permissions.js';

/**
 * The four permission operations, alike for roles, users and groups (`…/permissions`): list, add
 * (POST or PUT, as Usergrid accepts both) and remove (`?permission=`). Each answers with the
 * holder's permissions in `data`.
 */
type Params = { request: { params: Record<string, string> } };

/** The holder by its name (a user by uuid), and the permission as stored, whichever way it was spelled. */
const recordPermissionChange = (deps: Deps, ctx: TesseraContext, kind: 'permission.granted' | 'permission.revoked', holder: HolderKind, path: string, permission: string) =>
  recordAction(deps, ctx, { kind, subject: path.slice(holder.length + 3), details: { holder, permission: normalizePermission(permission) } });

export const permissionHandlers = (deps: Deps, kind: HolderKind) => {
  const holder = (c: Params, ctx: TesseraContext) => holderIn(deps, ctx, kind, c.request.params[kind]!);
  return {
    list: async (c: Params, ctx: TesseraContext) => {
      const { holder: h, path } = await holder(c, ctx);
      return { status: 200 as const, body: dataEnvelope(ctx, deps.clock, 'get', `${path}/permissions`, await listPermissions(deps, h)) };
    },
    grant: (action: 'post' | 'put') => async (c: Params & { request: { requestBody: { permission: string } } }, ctx: TesseraContext) => {
      const { holder: h, path } = await holder(c, ctx);
      const permissions = await grantPermission(deps, h, c.request.requestBody.permission);
      await recordPermissionChange(deps, ctx, 'permission.granted', kind, path, c.request.requestBody.permission);
      return { status: 200 as const, body: dataEnvelope(ctx, deps.clock, action, `${path}/permissions`, permissions) };
    },
    revoke: async (c: Params & { request: { query: { permission: string } } }, ctx: TesseraContext) => {
      const { holder: h, path } = await holder(c, ctx);
      const permissions = await revokePermission(deps, h, c.request.query.permission);
      await recordPermissionChange(deps, ctx, 'permission.revoked', kind, path, c.request.query.permission);
      return { status: 200 as const, body: dataEnvelope(ctx, deps.clock, 'delete', `${path}/permissions`, permissions) };
    },
  };
};
