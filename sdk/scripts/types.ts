// The SDK's API types, generated from the server's OpenAPI document by openapi-typescript. The
// output is checked in (sdk/src/openapi.ts); test/sdk/types.test.ts regenerates it from a running
// server and fails when it differs, so the types cannot drift from the API.
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';

export const TYPES_FILE = new URL('../src/openapi.ts', import.meta.url);

const HEADER = `// Generated from GET /api/v1/openapi.json by openapi-typescript. Do not edit:
// run \`npm run sdk:types\` instead.
/* eslint-disable */
`;

/** The TypeScript source of the types for `document`. */
export async function typesFromDocument(document: unknown): Promise<string> {
  const ast = await openapiTS(document as OpenAPI3, { alphabetize: true });
  return HEADER + astToString(ast);
}
