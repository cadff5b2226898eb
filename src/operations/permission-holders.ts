import type { Deps } from '../deps.js';
import { findAppUserAs } from '../domain/app-users.js';
import { findGroup } from '../domain/groups.js';
import type { Holder } from '../domain/permission-changes.js';
import { findRole } from '../domain/roles.js';
import type { TesseraContext } from './types.js';
import { applicationOf, principalOf } from './context.js';

/** The role, user (`me` is the caller) or group a path names, as a holder of permissions, with its path for the answer. */
export type HolderKind = 'role' | 'user' | 'group';

export async function holderIn(deps: Deps, ctx: TesseraContext, kind: HolderKind, ref: string): Promise<{ holder: Holder; path: string }> {
  const { application } = applicationOf(ctx);
  const applicationId = application.id;
  switch (kind) {
    case 'role': {
      const role = await findRole(deps, application, ref);
      return { holder: { kind, id: role.id, applicationId }, path: `/roles/${role.name}` };
    }
    case 'user': {
      const user = await findAppUserAs(deps, application, ref, principalOf(ctx));
      return { holder: { kind, id: user.id, applicationId }, path: `/users/${user.uuid}` };
    }
    case 'group': {
      const group = await findGroup(deps, application, ref);
      return { holder: { kind, id: group.id, applicationId }, path: `/groups/${group.name}` };
    }
  }
}
