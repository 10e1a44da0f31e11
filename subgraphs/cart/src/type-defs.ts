import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SHARED_TYPE_DEFS } from '@storefront/service-kit';
import { parse } from 'graphql';

/** The cart subgraph's SDL. */
export const typeDefs = parse([readFileSync(path.join(__dirname, 'schema', 'cart.graphql'), 'utf8'), SHARED_TYPE_DEFS].join('\n'));
