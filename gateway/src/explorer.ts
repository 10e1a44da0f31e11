import path from 'node:path';
import express from 'express';
import { attributeSelections } from '@storefront/product-kinds';

/**
 * GraphiQL served entirely from node_modules, so the explorer works offline and behind firewalls (Apollo's
 * own landing page loads from a CDN). React and ReactDOM are the UMD builds GraphiQL's bundle expects as
 * globals. Only these files are exposed, never the packages' folders.
 */
const packageDir = (name: string) => path.dirname(require.resolve(`${name}/package.json`));

const ASSETS: Record<string, string> = {
  'react.production.min.js': path.join(packageDir('react'), 'umd', 'react.production.min.js'),
  'react-dom.production.min.js': path.join(packageDir('react-dom'), 'umd', 'react-dom.production.min.js'),
  'graphiql.min.js': path.join(packageDir('graphiql'), 'graphiql.min.js'),
  'graphiql.min.css': path.join(packageDir('graphiql'), 'graphiql.min.css'),
};

export const EXPLORER_ASSETS_PATH = '/explorer/assets';

const DEFAULT_QUERY = `# Storefront Supergraph explorer
#
# Anyone can browse the catalog. To act as a user,
# put a token in the Headers tab below:
#   { "Authorization": "Bearer eyJhbGciOi..." }
# Get a local one with:
#   npm run -s token -- alice --admin
# A blank Authorization is anonymous; a bad or
# expired token is refused.

query Products {
  products(first: 5) {
    totalCount
    edges {
      node {
        name
        kindLabel
        price { amount currencyCode }
        variants {
          sku
          inStock
          attributes {
            __typename
${attributeSelections().map((selection) => `            ${selection}`).join('\n')}
          }
        }
      }
    }
  }
}
`;

const DEFAULT_HEADERS = `{
  "Authorization": ""
}`;

// Relative URLs keep the page working when a proxy mounts the gateway under a path prefix.
const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Storefront Supergraph explorer</title>
  <link rel="stylesheet" href=".${EXPLORER_ASSETS_PATH}/graphiql.min.css">
  <style>body { margin: 0; } #graphiql { height: 100vh; }</style>
</head>
<body>
  <div id="graphiql">Loading the explorer...</div>
  <script src=".${EXPLORER_ASSETS_PATH}/react.production.min.js"></script>
  <script src=".${EXPLORER_ASSETS_PATH}/react-dom.production.min.js"></script>
  <script src=".${EXPLORER_ASSETS_PATH}/graphiql.min.js"></script>
  <script>
    var endpoint = window.location.href.split(/[?#]/)[0];
    ReactDOM.createRoot(document.getElementById('graphiql')).render(
      React.createElement(GraphiQL, {
        fetcher: GraphiQL.createFetcher({ url: endpoint }),
        defaultQuery: ${JSON.stringify(DEFAULT_QUERY)},
        defaultHeaders: ${JSON.stringify(DEFAULT_HEADERS)},
        defaultEditorToolsVisibility: 'headers',
        // A token typed here is kept for the next visit; it never leaves this browser except to this gateway.
        shouldPersistHeaders: true,
      }),
    );
  </script>
</body>
</html>
`;

/**
 * Mounts the explorer: its assets, and GET / for browsers (Accept: text/html). Other GET / requests
 * (a GraphQL query over GET) fall through to the GraphQL handler.
 */
export function mountExplorer(app: express.Express): void {
  app.get(`${EXPLORER_ASSETS_PATH}/:file`, (req, res, next) => {
    if (!Object.hasOwn(ASSETS, req.params.file)) return next();
    res.sendFile(ASSETS[req.params.file], { maxAge: '1h' });
  });
  app.get('/', (req, res, next) => {
    // Like Apollo's own check: `Accept: */*` (curl, fetch) prefers JSON, a browser prefers the page.
    if (req.accepts(['application/json', 'text/html']) !== 'text/html') return next();
    res.type('html').send(PAGE);
  });
}
