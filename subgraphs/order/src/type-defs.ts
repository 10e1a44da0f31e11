import { readFileSync } from 'node:fs';
import path from 'node:path';
import { kindTypeDefs } from '@storefront/product-kinds';
import { SHARED_TYPE_DEFS } from '@storefront/service-kit';
import { parse } from 'graphql';

// The .graphql sources stay in src/schema: compiled code (dist/) reads them from there too.
const SCHEMA_DIR = path.join(__dirname, '..', 'src', 'schema');

const ownTypeDefs = readFileSync(path.join(SCHEMA_DIR, 'order.graphql'), 'utf8');

/** The order subgraph's SDL: its own schema plus every product kind's attribute types (not inputs). */
export const typeDefs = parse([ownTypeDefs, SHARED_TYPE_DEFS, kindTypeDefs()].join('\n'));
