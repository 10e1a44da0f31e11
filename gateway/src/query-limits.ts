import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { armorRule, depthLimitRule, LIST_SIZE_ENV, QueryLimitError, wholeNumber } from '@storefront/service-kit';
import {
  getNamedType,
  getNullableType,
  getVariableValues,
  GraphQLError,
  isListType,
  type GraphQLSchema,
} from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';

/** The gateway's limits on one operation, all checked before the query planner sees it. */
export interface QueryLimits {
  /** Lexical tokens of the document; checked by the parser itself, so no document can exhaust the stack. */
  maxTokens: number;
  /** Nested fields (fragments add none). */
  maxDepth: number;
  /** Aliased fields, fragments counted where spread. */
  maxAliases: number;
  /** Directive uses (`@include`, `@skip`...). */
  maxDirectives: number;
  /** Estimated cost: 1 per field, times the size of each list it sits in (see `estimateFieldCost`). */
  maxCost: number;
  /** Most variants a product can have: the catalog refuses more on writes (CATALOG_MAX_VARIANTS_PER_PRODUCT). */
  maxVariantsPerProduct: number;
  /** Most lines a cart can hold: the cart refuses more (CART_MAX_LINES); orders copy a cart. */
  maxCartLines: number;
}

const limit = (fallback: number, max: number) => wholeNumber(1, max).default(fallback);

/**
 * The variables, with defaults that accept every operation in clients/operations, the README's examples
 * and a full `products(first: 100)` page with variants, and refuse the known attacks (see README).
 */
export const QUERY_LIMITS_ENV = {
  // At most 6,000: three tokens a level, so no document the parser accepts nests deep enough (about
  // 2,000 levels) to exhaust its recursion; a test sends the deepest one.
  GATEWAY_MAX_TOKENS: limit(1_000, 6_000),
  GATEWAY_MAX_DEPTH: limit(10, 100),
  GATEWAY_MAX_ALIASES: limit(15, 1_000),
  GATEWAY_MAX_DIRECTIVES: limit(50, 1_000),
  GATEWAY_MAX_COST: limit(250_000, 100_000_000),
  ...LIST_SIZE_ENV,
};

export function queryLimitsFrom(raw: Record<string, unknown>): QueryLimits {
  return {
    maxTokens: raw.GATEWAY_MAX_TOKENS as number,
    maxDepth: raw.GATEWAY_MAX_DEPTH as number,
    maxAliases: raw.GATEWAY_MAX_ALIASES as number,
    maxDirectives: raw.GATEWAY_MAX_DIRECTIVES as number,
    maxCost: raw.GATEWAY_MAX_COST as number,
    maxVariantsPerProduct: raw.CATALOG_MAX_VARIANTS_PER_PRODUCT as number,
    maxCartLines: raw.CART_MAX_LINES as number,
  };
}

/** Lists with no size argument, by `Type.field`: how long they can be, per what their subgraph enforces. */
function listSizes(limits: QueryLimits): Record<string, number> {
  return {
    'Product.variants': limits.maxVariantsPerProduct,
    'Cart.lines': limits.maxCartLines,
    'Order.lines': limits.maxCartLines,
    'CheckoutUserError.shortages': limits.maxCartLines,
    'CheckoutPayload.userErrors': limits.maxCartLines,
  };
}

/** Any other list without a size argument (a payload's userErrors, productKinds): short by nature. */
const SMALL_LIST_SIZE = 10;

/**
 * Cost of one field: 1, plus its selection times how many items it can return. `first` sets that for
 * connections and paged lists (their schema default when omitted); a connection's `edges` then count
 * once, its page size having been applied. Introspection costs 1: it reads the schema, not the data.
 */
export function costEstimator(limits: QueryLimits): ComplexityEstimator {
  const sizes = listSizes(limits);
  return ({ type, field, args, childComplexity }) => {
    if (field.name.startsWith('__')) return 1;
    let items = 1;
    if (typeof args.first === 'number') items = Math.max(0, args.first);
    else if (isListType(getNullableType(field.type))) {
      items = getNamedType(field.type).name.endsWith('Edge') ? 1 : (sizes[`${type.name}.${field.name}`] ?? SMALL_LIST_SIZE);
    }
    return 1 + items * childComplexity;
  };
}

/** graphql-query-complexity visits at most this many selections (fragments expanded) before giving up. */
const MAX_SELECTIONS = 10_000;

/**
 * Refuses an operation whose estimated cost is over the maximum. Runs once the operation is parsed and
 * validated, and before the gateway plans it, so a refused operation never reaches a subgraph.
 */
export function queryCostPlugin<TContext extends BaseContext>(limits: QueryLimits): ApolloServerPlugin<TContext> {
  const estimators = [costEstimator(limits)];
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, operationName, request }) {
          // Variables that do not fit their types get no estimate: the gateway refuses them with
          // BAD_USER_INPUT before planning (a test checks no subgraph sees them).
          const variables = getVariableValues(schema, operation?.variableDefinitions ?? [], request.variables ?? {});
          if (variables.errors) return;
          const cost = measureCost(schema, limits, estimators, document, operationName ?? undefined, request.variables);
          if (cost > limits.maxCost) throw new QueryLimitError('cost', limits.maxCost, cost);
        },
      };
    },
  };
}

function measureCost(
  schema: GraphQLSchema,
  limits: QueryLimits,
  estimators: ComplexityEstimator[],
  query: Parameters<typeof getComplexity>[0]['query'],
  operationName: string | undefined,
  variables: Record<string, unknown> | undefined,
): number {
  try {
    return getComplexity({ schema, query, operationName, variables, estimators, maxQueryNodes: MAX_SELECTIONS });
  } catch (error) {
    // Only fragments spread into each other many times over get here: too big to even estimate.
    if (error instanceof GraphQLError && /maximum allowed number of nodes/.test(error.message)) return limits.maxCost + 1;
    throw error;
  }
}

/**
 * What the gateway's ApolloServer needs to enforce the limits: the parser's token cap (it stops reading
 * at the limit, so a 700-deep document never reaches a recursive step), validation rules for depth,
 * aliases and directives (GraphQL Armor), and the cost plugin. Pair with `formatQueryLimitErrors`.
 */
export function queryLimitsOptions<TContext extends BaseContext>(limits: QueryLimits) {
  return {
    parseOptions: { maxTokens: limits.maxTokens },
    validationRules: [
      depthLimitRule(limits.maxDepth),
      armorRule('aliases', limits.maxAliases, (options) => maxAliasesRule(options)),
      armorRule('directives', limits.maxDirectives, (options) => maxDirectivesRule(options)),
    ],
    plugin: queryCostPlugin<TContext>(limits),
  };
}
