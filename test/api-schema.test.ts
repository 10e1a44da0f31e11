import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  GraphQLEnumType,
  GraphQLInputObjectType,
  GraphQLInterfaceType,
  GraphQLObjectType,
  buildSchema,
  isSpecifiedScalarType,
} from 'graphql';

const schema = buildSchema(readFileSync(path.join(__dirname, '..', 'clients', 'schema.graphql'), 'utf8'));
const ROOTS = new Set(['Query', 'Mutation', 'Subscription']);

/** Explorers and typed clients show descriptions: every public type, field, argument and value has one. */
test('every type, field, argument and enum value of the public API is described', () => {
  const missing: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || isSpecifiedScalarType(type)) continue;
    if (!ROOTS.has(type.name) && !type.description) missing.push(type.name);
    if (type instanceof GraphQLObjectType || type instanceof GraphQLInterfaceType) {
      for (const field of Object.values(type.getFields())) {
        if (!field.description) missing.push(`${type.name}.${field.name}`);
        for (const arg of field.args) if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
      }
    } else if (type instanceof GraphQLInputObjectType) {
      for (const field of Object.values(type.getFields())) if (!field.description) missing.push(`${type.name}.${field.name}`);
    } else if (type instanceof GraphQLEnumType) {
      for (const value of type.getValues()) if (!value.description) missing.push(`${type.name}.${value.name}`);
    }
  }
  expect(missing).toEqual([]);
});

test('no internal type leaks into the public API', () => {
  const names = Object.keys(schema.getTypeMap());
  expect(names.filter((n) => n.startsWith('join__') || n.startsWith('link__') || n === '_Entity' || n === '_Service')).toEqual([]);
  expect(schema.getQueryType()?.getFields()._entities).toBeUndefined();
});
