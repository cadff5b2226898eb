import type { components } from '../../generated/openapi.js';
import type { Link } from '../db/repositories/memberships.js';
import type { Deps } from '../deps.js';
import { findAppUserAs } from '../domain/app-users.js';
import { findGroup } from '../domain/groups.js';
import { addLink, removeLink } from '../domain/permission-changes.js';
import { findRole } from '../domain/roles.js';
import { groupView, roleView, userView } from '../usergrid/views.js';
import type { TesseraContext } from './types.js';
import { envelope } from '../usergrid/envelopes.js';
import { applicationOf, principalOf } from './context.js';
import { recordAction } from './audit.js';

type Shown = { role: components['schemas']['Role']; user: components['schemas']['User']; group: components['schemas']['Group'] };
type End = 'role' | 'user' | 'group';

/** One end of a link, found by the name or uuid in the path (`me` is the calling user); `view` for those an answer shows. */
async function find(deps: Deps, ctx: TesseraContext, end: End, ref: string): Promise<{ id: number; name: string; view?: () => unknown }> {
  const { application } = applicationOf(ctx);
  switch (end) {
    case 'role': {
      const role = await findRole(deps, application, ref);
      return { id: role.id, name: role.name, view: () => roleView(role) };
    }
    case 'user': {
      const user = await findAppUserAs(deps, application, ref, principalOf(ctx));
      return { id: user.id, name: user.uuid, view: () => userView(user) };
    }
    case 'group': {
      const group = await findGroup(deps, application, ref);
      return { id: group.id, name: group.name, view: () => groupView(group) };
    }
  }
}

/** Which stored link a path of two ends names, and whether its ends come in the link's order. */
const links: Record<string, { link: Link; inOrder: boolean }> = {
  'user/role': { link: 'userRole', inOrder: true },
  'role/user': { link: 'userRole', inOrder: false },
  'group/user': { link: 'groupUser', inOrder: true },
  'group/role': { link: 'groupRole', inOrder: true },
  'role/group': { link: 'groupRole', inOrder: false },
};

/** A link as an audit event: about the user or group that gains or loses the role, or the user that joins or leaves the group. */
function linkEvent(link: Link, change: 'add' | 'remove', left: string, right: string) {
  switch (link) {
    case 'userRole':
      return { kind: change === 'add' ? ('role-link.added' as const) : ('role-link.removed' as const), subject: left, details: { role: right, user: left } };
    case 'groupRole':
      return { kind: change === 'add' ? ('role-link.added' as const) : ('role-link.removed' as const), subject: left, details: { role: right, group: left } };
    case 'groupUser':
      return { kind: change === 'add' ? ('group-user.added' as const) : ('group-user.removed' as const), subject: right, details: { group: left, user: right } };
    default:
      throw new Error(`no audit event for the link ${String(link)}`);
  }
}

/**
 * `POST` (add) or `DELETE` (remove) on `/{first}s/{a}/{second}s/{b}`: a role given to a user or to a
 * group (from either side), a user in a group. Both spellings of a link are one stored link, changed
 * by this one code. As in Usergrid, the answer is the entity the path names last.
 */
export const linkHandler =
  <S extends keyof Shown>(deps: Deps, first: End, second: S, change: 'add' | 'remove') =>
  async (c: { request: { params: Record<string, string> } }, ctx: TesseraContext) => {
    const a = await find(deps, ctx, first, c.request.params[first]!);
    const b = await find(deps, ctx, second, c.request.params[second]!);
    const { link, inOrder } = links[`${first}/${second}`]!;
    const [left, right] = inOrder ? [a, b] : [b, a];
    await (change === 'add' ? addLink : removeLink)(deps, applicationOf(ctx).application.id, link, left.id, right.id);
    await recordAction(deps, ctx, linkEvent(link, change, left.name, right.name));
    const path = `/${first}s/${a.name}/${second}s/${b.name}`;
    return { status: 200 as const, body: envelope(ctx, deps.clock, change === 'add' ? 'post' : 'delete', path, [b.view!() as Shown[S]]) };
  };
