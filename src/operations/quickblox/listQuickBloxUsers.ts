import type { Deps } from '../../deps.js';
import type { OperationHandler } from '../../http/operation-types.js';
import { quickbloxUserView } from '../../quickblox/users.js';
import { sessionOf } from './session.js';

export const listQuickBloxUsers = (deps: Deps): OperationHandler<'listQuickBloxUsers'> => async (c, ctx) => {
  const page = c.request.query.page ?? 1;
  const perPage = c.request.query.per_page ?? 10;
  const { users, total } = await deps.repositories.appUsers.page(sessionOf(ctx).applicationId, (page - 1) * perPage, perPage);
  return {
    status: 200,
    body: { current_page: page, per_page: perPage, total_entries: total, items: users.map((user) => ({ user: quickbloxUserView(user) })) },
  };
};
