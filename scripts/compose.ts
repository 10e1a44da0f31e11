/**
 * Composes the supergraph from every subgraph's SDL with @apollo/composition and writes:
 *   supergraph.graphql     what the gateway starts from (URLs are overridable by environment)
 *   clients/schema.graphql the public API schema, which typed clients are generated against
 *   clients/operations/variant-attributes.graphql
 *                          the fragment that selects every product kind's attributes, from the registry
 * Composition errors fail the script. `--check` writes nothing and fails when either file is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse, print, printSchema } from 'graphql';
import { attributeSelections } from '@storefront/product-kinds';
import { SUBGRAPH_TYPE_DEFS } from './subgraph-type-defs';
import { SUBGRAPHS } from '@storefront/contracts';

const root = path.resolve(__dirname, '..');
const result = composeServices(
  Object.entries(SUBGRAPH_TYPE_DEFS).map(([name, typeDefs]) => ({
    name,
    typeDefs,
    url: `http://127.0.0.1:${SUBGRAPHS[name as keyof typeof SUBGRAPHS].port}/graphql`,
  })),
);
if (result.errors) {
  console.error('Composition failed:');
  for (const error of result.errors) console.error(`  - ${error.message}`);
  process.exit(1);
}
const attributesFragment = print(parse(`fragment VariantAttributesFields on VariantAttributes { __typename ${attributeSelections().join(' ')} }`));
const outputs = {
  'supergraph.graphql': result.supergraphSdl,
  'clients/schema.graphql': `# Public API of the supergraph, written by \`npm run compose\`. Do not edit.\n\n${printSchema(result.schema.toAPISchema().toGraphQLJSSchema())}\n`,
  'clients/operations/variant-attributes.graphql': `# Every product kind's attributes, written by \`npm run compose\` from the kinds' registry. Do not edit.\n\n${attributesFragment}\n`,
};
const check = process.argv.includes('--check');
let stale = false;
for (const [file, content] of Object.entries(outputs)) {
  const target = path.join(root, file);
  if (check) {
    let current = '';
    try {
      current = readFileSync(target, 'utf8');
    } catch {
      // missing counts as stale
    }
    if (current !== content) {
      console.error(`${file} is stale: run npm run compose and commit it.`);
      stale = true;
    }
  } else {
    writeFileSync(target, content);
  }
}
for (const hint of result.hints ?? []) console.warn(`hint: ${hint.message}`);
if (stale) process.exit(1);
if (!check) console.log(`Composed ${Object.keys(SUBGRAPH_TYPE_DEFS).join(', ')} into supergraph.graphql`);
