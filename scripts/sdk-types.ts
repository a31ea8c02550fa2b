// npm run sdk:types: regenerates sdk/src/openapi.ts from the document the server serves.
import { writeFile } from 'node:fs/promises';
import { TYPES_FILE, typesFromDocument } from '../sdk/scripts/types.js';
import { openApiDocument } from './openapi-document.js';

await writeFile(TYPES_FILE, await typesFromDocument(await openApiDocument()));
process.stdout.write(`wrote ${TYPES_FILE.pathname}\n`);
