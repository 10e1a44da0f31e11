import { ADMIN_ROLE, checkedId, requireUser } from '@storefront/service-kit';
import type { QueryResolvers } from '../generated/resolvers-types';

export const Query: QueryResolvers = {
  me: (_, __, { viewer }) => ({ id: requireUser(viewer) }),
  // Someone else's order answers exactly like a missing one: ids reveal nothing.
  order: async (_, { id }, { viewer, loaders }) => {
    const userId = requireUser(viewer);
    const order = await loaders.order.load(checkedId(id, 'id'));
    return order && (order.userId === userId || viewer.roles.includes(ADMIN_ROLE)) ? order : null;
  },
};
