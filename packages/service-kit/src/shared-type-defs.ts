/**
 * GraphQL types every subgraph declares identically (federation wants each subgraph to declare the
 * value types it returns; `@shareable` lets several resolve them). Written once here, added to each
 * subgraph's SDL by its type-defs.ts, and read by GraphQL Code Generator from this file (hence the
 * literal `/* GraphQL *\/` string). Each subgraph's own SDL must import `@shareable` in its `@link`.
 */
export const SHARED_TYPE_DEFS = /* GraphQL */ `
  "An ISO-8601 date and time in UTC, for example 2026-11-25T10:00:00.000Z."
  scalar DateTime

  "An amount of money: an integer number of minor units (cents) in a currency. Never a float."
  type Money @shareable {
    "Amount in minor units of the currency (for example 1999 for 19.99 USD)."
    amount: Int!
    "ISO 4217 currency code, for example USD."
    currencyCode: String!
  }

  "Relay pagination state of a connection."
  type PageInfo @shareable {
    "True when more items follow this page: after its last item, or, with \`first: 0\`, after \`after\` (or from the start)."
    hasNextPage: Boolean!
    "Cursor of the last item of this page; pass it as \`after\` for the next page."
    endCursor: String
  }
`;
