// graphql-codegen: types and typed documents for the client's operations, from the server's
// committed schema. Run from the repository root: `npm run web:codegen`.
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: 'web/src/graphql/*.graphql',
  generates: {
    'web/src/graphql/generated.ts': {
      plugins: ['typescript-operations', 'typed-document-node'],
      config: {
        enumsAsTypes: true,
        useTypeImports: true,
        onlyOperationTypes: true,
        avoidOptionals: { field: true, inputValue: false, object: false },
        scalars: { Timestamp: 'number', JSON: 'unknown', File: 'File' },
      },
    },
  },
};
export default config;
