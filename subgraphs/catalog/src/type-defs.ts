import { readFileSync } from 'node:fs';
import path from 'node:path';
import { filterableNames, kindInputTypeDefs, kindTypeDefs } from '@storefront/product-kinds';
import { SHARED_TYPE_DEFS } from '@storefront/service-kit';
import { parse } from 'graphql';

// The .graphql sources stay in src/schema: compiled code (dist/) reads them from there too.
const SCHEMA_DIR = path.join(__dirname, '..', 'src', 'schema');

/**
 * The filter's documentation lists the attribute names shoppers can filter by, which the kinds decide:
 * the schema file holds a placeholder, filled here from the registry, so a new kind's names are listed.
 */
const FILTERABLE_NAMES = 'FILTERABLE_ATTRIBUTE_NAMES';
const ownTypeDefs = readFileSync(path.join(SCHEMA_DIR, 'catalog.graphql'), 'utf8').replace(
  FILTERABLE_NAMES,
  [...filterableNames()].join(', '),
);

/** The catalog's SDL: its own schema plus every product kind's attribute types and inputs. */
export const typeDefs = parse([ownTypeDefs, SHARED_TYPE_DEFS, kindTypeDefs(), kindInputTypeDefs()].join('\n'));
