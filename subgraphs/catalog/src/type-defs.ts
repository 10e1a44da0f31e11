import { readFileSync } from 'node:fs';
import path from 'node:path';
import { kindInputTypeDefs, kindTypeDefs } from '@storefront/product-kinds';
import { parse } from 'graphql';

const ownTypeDefs = readFileSync(path.join(__dirname, 'schema', 'catalog.graphql'), 'utf8');

/** The catalog's SDL: its own schema plus every product kind's attribute types and inputs. */
export const typeDefs = parse([ownTypeDefs, kindTypeDefs(), kindInputTypeDefs()].join('\n'));
