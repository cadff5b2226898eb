import type { Knex } from 'knex';

/** The links that give roles: a role to a user, a user to a group, a role to a group. */
const links = {
  userRole: ['user_roles', 'user_id', 'role_id'],
  groupUser: ['group_users', 'group_id', 'user_id'],
  groupRole: ['group_roles', 'group_id', 'role_id'],
} as const;
export type Link = keyof typeof links;

export function membershipsRepository(db: Knex) {
  const where = (link: Link, leftId: number, rightId: number) => {
    const [table, left, right] = links[link];
    return db(table).where({ [left]: leftId, [right]: rightId });
  };
  return {
    /** Adds the link; adding one that exists changes nothing. */
    async add(link: Link, leftId: number, rightId: number, now: number): Promise<void> {
      const [table, left, right] = links[link];
      await db(table).insert({ [left]: leftId, [right]: rightId, created_at: now }).onConflict([left, right]).ignore();
    },
    /** Removes the link; false when there was none. */
    async remove(link: Link, leftId: number, rightId: number): Promise<boolean> {
      return (await where(link, leftId, rightId).delete()) > 0;
    },
    async has(link: Link, leftId: number, rightId: number): Promise<boolean> {
      return (await where(link, leftId, rightId).first()) !== undefined;
    },
  };
}
export type MembershipsRepository = ReturnType<typeof membershipsRepository>;
