import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { GraphQLError, Lexer, Source, TokenKind, type GraphQLFormattedError, type ValidationRule } from 'graphql';
import { wholeNumber } from './env-number';

/** The limits an operation is measured against, by the name clients see in `extensions.limit`. */
export type QueryLimitName = 'tokens' | 'depth' | 'aliases' | 'directives' | 'cost';

/** One error code per limit, so clients and dashboards can tell which one refused the operation. */
export const QUERY_LIMIT_CODES: Record<QueryLimitName, string> = {
  tokens: 'TOKEN_LIMIT_EXCEEDED',
  depth: 'DEPTH_LIMIT_EXCEEDED',
  aliases: 'ALIAS_LIMIT_EXCEEDED',
  directives: 'DIRECTIVE_LIMIT_EXCEEDED',
  cost: 'COST_LIMIT_EXCEEDED',
};

/**
 * An operation refused for its size or shape, before anything runs. Carries what a client needs to
 * fix it: which limit, its maximum and what the operation measured. HTTP 400: the request is at fault.
 */
export class QueryLimitError extends GraphQLError {
  constructor(
    readonly limit: QueryLimitName,
    readonly maximum: number,
    readonly measured: number,
  ) {
    super(`Operation refused: its ${limit} is ${measured}, more than the maximum of ${maximum}.`, {
      extensions: { code: QUERY_LIMIT_CODES[limit], limit, maximum, measured, http: { status: 400 } },
    });
    this.name = 'QueryLimitError';
  }
}

/** Armor reports "... limit of N exceeded, found M."; the measured value is only in that text. */
function measuredFrom(message: string, maximum: number): number {
  const found = /found (\d+)/.exec(message);
  return found ? Number(found[1]) : maximum + 1;
}

/**
 * Adapts a GraphQL Armor rule so a refusal is reported as a typed `QueryLimitError` through the
 * validation context, instead of Armor's untyped error thrown out of the visitor.
 */
export function armorRule(
  limit: QueryLimitName,
  maximum: number,
  build: (options: {
    n: number;
    exposeLimits: boolean;
    propagateOnRejection: boolean;
    onReject: ((context: unknown, error: GraphQLError) => void)[];
  }) => ValidationRule,
): ValidationRule {
  return (context) =>
    build({
      n: maximum,
      exposeLimits: true,
      propagateOnRejection: false,
      onReject: [(_ctx, error) => context.reportError(new QueryLimitError(limit, maximum, measuredFrom(error.message, maximum)))],
    })(context);
}

/**
 * Depth counts nested fields; fragments (inline or named) add none, so the query plan's
 * `_entities { ... on Product { ... } }` costs a subgraph exactly one level more than the client's part.
 */
export function depthLimitRule(maximum: number): ValidationRule {
  return armorRule('depth', maximum, (options) => maxDepthRule({ ...options, flattenFragments: true, ignoreIntrospection: true }));
}

/** Tokens of a document as the parser counts them (comments excluded). Iterative, so safe on any input. */
export function countTokens(body: string): number {
  const lexer = new Lexer(new Source(body));
  let count = 0;
  try {
    while (lexer.advance().kind !== TokenKind.EOF) count++;
  } catch {
    // A lexing error later in the document: what was counted so far is already over the limit.
  }
  return count;
}

/** graphql-js's own message when `parse(..., { maxTokens })` aborts ("more that" in graphql 16). */
const PARSER_TOKEN_LIMIT = /^Syntax Error: Document contains more (?:than|that) (\d+) tokens\. Parsing aborted\.$/;

function limitErrorOf(error: unknown): QueryLimitError | undefined {
  for (let current = error; current instanceof Error; current = (current as GraphQLError).originalError) {
    if (current instanceof QueryLimitError) return current;
    const tokens = PARSER_TOKEN_LIMIT.exec(current.message);
    if (tokens && current instanceof GraphQLError) {
      const maximum = Number(tokens[1]);
      return new QueryLimitError('tokens', maximum, current.source ? countTokens(current.source.body) : maximum + 1);
    }
  }
  return undefined;
}

/**
 * Wraps an Apollo `formatError` so limit refusals keep their own code: Apollo files errors from
 * parsing and validation under GRAPHQL_PARSE_FAILED / GRAPHQL_VALIDATION_FAILED whatever they carry.
 */
export function formatQueryLimitErrors(
  next: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError,
): (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError {
  return (formatted, error) => {
    const refusal = limitErrorOf(error);
    if (!refusal) return next(formatted, error);
    const { limit, maximum, measured } = refusal;
    return { message: refusal.message, extensions: { code: QUERY_LIMIT_CODES[limit], limit, maximum, measured } };
  };
}

const bounded = (fallback: number, max: number) => wholeNumber(1, max).default(fallback);

/** The most lines `CART_MAX_LINES` may allow a cart, and so the most an order lists. */
export const MAX_CART_LINES = 1_000;

/**
 * List sizes the catalog and cart enforce on writes, which the gateway's cost estimate also reads: one
 * variable each, so the estimate and the enforcement cannot disagree.
 */
export const LIST_SIZE_ENV = {
  CATALOG_MAX_VARIANTS_PER_PRODUCT: bounded(100, 10_000),
  CART_MAX_LINES: bounded(100, MAX_CART_LINES),
};

/** The deepest operation a subgraph runs: the gateway's maximum plus `_entities`, with room to spare. */
export const SUBGRAPH_MAX_DEPTH_ENV = {
  SUBGRAPH_MAX_DEPTH: bounded(16, 1_000),
};
