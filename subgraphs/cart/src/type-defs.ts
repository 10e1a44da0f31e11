import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SHARED_TYPE_DEFS } from '@storefront/service-kit';
import { parse } from 'graphql';

// The .graphql sources stay in src/schema: compiled code (dist/) reads them from there too.
const SCHEMA_DIR = path.join(__dirname, '..', 'src', 'schema');

/** The cart subgraph's SDL. */
export const typeDefs = parse([readFileSync(path.join(SCHEMA_DIR, 'cart.graphql'), 'utf8'), SHARED_TYPE_DEFS].join('\n'));
