import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { GraphQLError, Kind } from 'graphql';

/**
 * A valid document whose `operationName` names no operation in it, or that holds several operations
 * and names none, is the client's mistake. Apollo Server leaves it to the executor, and
 * `@apollo/gateway`'s executor throws INVALID_GRAPHQL, which reaches the client as a 500
 * INTERNAL_SERVER_ERROR. Refuse it here with Apollo's own code for it, before any planning. The
 * operation name is not echoed: a client can send a megabyte of it.
 */
export function operationResolutionPlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    requestDidStart: async () => ({
      didResolveOperation: async ({ operation, document, request }) => {
        if (operation) return;
        const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION).length;
        const message =
          request.operationName != null
            ? 'The document has no operation with the name given in operationName.'
            : `The document has ${operations} operations: name the one to run in operationName.`;
        throw new GraphQLError(message, { extensions: { code: 'OPERATION_RESOLUTION_FAILURE', http: { status: 400 } } });
      },
    }),
  };
}
