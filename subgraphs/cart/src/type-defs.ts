import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'graphql';

/** The cart subgraph's SDL. */
export const typeDefs = parse(readFileSync(path.join(__dirname, 'schema', 'cart.graphql'), 'utf8'));
