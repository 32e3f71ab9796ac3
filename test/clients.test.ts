import { readFile } from 'node:fs/promises';
import { isAbstractType, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../src/graphql/schema/index.js';
import generated from './clients/generated/possible-types.js';

// docs/clients.md: its possibleTypes snippet must be the schema's members, and its documents must
// validate, so the guide cannot drift from the schema it describes.

const guide = await readFile(new URL('../docs/clients.md', import.meta.url), 'utf8');
const blocks = (lang: string) => [...guide.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]!);

describe('docs/clients.md', () => {
  it('lists, for each abstract type it names, exactly the schema’s possible types', () => {
    const [snippet] = blocks('json possibleTypes');
    const documented = JSON.parse(snippet!) as Record<string, string[]>;
    expect(Object.keys(documented).length).toBeGreaterThan(0);
    for (const [name, members] of Object.entries(documented)) {
      const type = schema.getType(name);
      expect(type && isAbstractType(type), name).toBe(true);
      const actual = schema.getPossibleTypes(type as Parameters<typeof schema.getPossibleTypes>[0]).map((t) => t.name).sort();
      expect([...members].sort(), name).toEqual(actual);
      // ...and what graphql-codegen's fragment-matcher generates (test/clients/codegen.ts).
      expect([...members].sort(), name).toEqual([...(generated.possibleTypes as Record<string, string[]>)[name]!].sort());
    }
  });

  it('shows GraphQL documents that validate against the schema', () => {
    const documents = blocks('graphql');
    expect(documents.length).toBeGreaterThan(0);
    for (const document of documents) expect(validate(schema, parse(document)).map((e) => e.message)).toEqual([]);
  });

  it('maps every custom scalar for codegen', () => {
    const custom = Object.values(schema.getTypeMap()).filter((t) => t.constructor.name === 'GraphQLScalarType' && !['String', 'Int', 'Float', 'Boolean', 'ID'].includes(t.name));
    for (const scalar of custom) expect(guide, scalar.name).toMatch(new RegExp(`${scalar.name}: '`));
  });
});
