import { isScalarType, isSpecifiedScalarType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../src/graphql/schema/index.js';
import { connectionShapes, generatedNames, mutationShapes, scalarMisuses, undocumented } from './helpers/schema-conventions.js';
import { LEGACY } from './schema-legacy.js';

// docs/schema.md: the conventions every area follows, checked on the schema the server serves.
// LEGACY lists what predates them and is being converted; nothing may be added to it.

const apart = (found: string[], legacy: readonly string[]) => found.filter((item) => !legacy.includes(item));

describe('schema conventions (docs/schema.md)', () => {
  it('documents every type, field, argument, enum value and input field', () => {
    expect(apart(undocumented(schema), LEGACY.undocumented)).toEqual([]);
  });

  it('answers every mutation with an <Action>Result union of its <Action>Payload and typed errors', () => {
    expect(apart(mutationShapes(schema), LEGACY.mutations)).toEqual([]);
  });

  it('has no generated type names', () => {
    expect(apart(generatedNames(schema), LEGACY.names)).toEqual([]);
  });

  it('names every connection after its node, with totalCount', () => {
    expect(apart(connectionShapes(schema), LEGACY.connections)).toEqual([]);
  });

  it('carries structured values as JSON and ids as ID', () => {
    expect(apart(scalarMisuses(schema), LEGACY.scalars)).toEqual([]);
  });

  it('defines only the documented scalars', () => {
    const scalars = Object.values(schema.getTypeMap()).filter((t) => isScalarType(t) && !isSpecifiedScalarType(t) && !t.name.startsWith('__'));
    expect(scalars.map((t) => t.name).sort()).toEqual(['File', 'JSON', 'Timestamp']);
  });
});
