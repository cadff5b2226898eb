import type { Deps } from '../../deps.js';
import type { OperationHandler } from '../types.js';
import { userConditions } from '../../quickblox/user-filters.js';
import { quickbloxUserView } from '../../quickblox/users.js';
import { sessionOf } from '../quickblox-session.js';

export const listQuickBloxUsers = (deps: Deps): OperationHandler<'listQuickBloxUsers'> => async (c, ctx) => {
  const page = c.request.query.page ?? 1;
  const perPage = c.request.query.per_page ?? 10;
  const conditions = userConditions(c.request.query.filter);
  const { items, more, total } = await deps.repositories.appUsers.page(sessionOf(ctx).applicationId, (page - 1) * perPage, perPage, conditions);
  // A page cut short by its byte bound says how many it holds as its `per_page`, as a custom object
  // page does in its `limit`: fewer items than `per_page` would otherwise read as the last page.
  const held = more ? items.length : perPage;
  return {
    status: 200,
    body: { current_page: page, per_page: held, total_entries: total, items: items.map((user) => ({ user: quickbloxUserView(user) })) },
  };
};
