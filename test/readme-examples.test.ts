import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Kind, parse, print, type DefinitionNode } from 'graphql';

const root = path.resolve(__dirname, '..');
const operationsDir = path.join(root, 'clients', 'operations');

function named(definitions: readonly DefinitionNode[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const d of definitions) {
    if ((d.kind === Kind.OPERATION_DEFINITION || d.kind === Kind.FRAGMENT_DEFINITION) && d.name) out.set(d.name.value, print(d));
  }
  return out;
}

/** README shows what clients run: each GraphQL example must be, verbatim, an operation the tests use. */
test('every GraphQL example in README is an operation or fragment from clients/operations', () => {
  const known = named(
    readdirSync(operationsDir)
      .filter((f) => f.endsWith('.graphql'))
      .flatMap((f) => parse(readFileSync(path.join(operationsDir, f), 'utf8')).definitions),
  );
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]);
  expect(blocks.length).toBeGreaterThan(0);
  for (const block of blocks) {
    for (const [name, printed] of named(parse(block).definitions)) {
      expect({ name, printed }).toEqual({ name, printed: known.get(name) });
    }
  }
});
