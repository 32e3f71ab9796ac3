// graphql-codegen for the client guides' tests (docs/clients.md): the client preset with the
// server's scalar mappings, and Apollo's possibleTypes map from the fragment-matcher plugin, both
// from the committed schema. Run from the repository root: `npm run clients:codegen`;
// test/clients.test.ts fails when the committed output is stale.
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: 'test/clients/operations.ts',
  generates: {
    'test/clients/generated/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        // Node's ESM wants extensions on relative imports.
        emitLegacyCommonJSImports: false,
        scalars: { Timestamp: 'number', JSON: 'unknown', File: 'File' },
      },
    },
    'test/clients/generated/possible-types.ts': {
      plugins: ['fragment-matcher'],
      config: { useExplicitTyping: true },
    },
  },
};
export default config;
