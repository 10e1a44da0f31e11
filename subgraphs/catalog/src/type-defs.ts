import { readFileSync } from 'node:fs';
import path from 'node:path';
import { kindInputTypeDefs, kindTypeDefs } from '@storefront/product-kinds';
import { SHARED_TYPE_DEFS } from '@storefront/service-kit';
import { parse } from 'graphql';

const ownTypeDefs = readFileSync(path.join(__dirname, 'schema', 'catalog.graphql'), 'utf8');

/** The catalog's SDL: its own schema plus every product kind's attribute types and inputs. */
export const typeDefs = parse([ownTypeDefs, SHARED_TYPE_DEFS, kindTypeDefs(), kindInputTypeDefs()].join('\n'));
