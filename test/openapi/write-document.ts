/**
 * `npm run openapi:write`: writes docs/openapi.json from the TypeScript source (src/http/openapi/).
 * test/openapi/document.test.ts fails until the file matches what the server serves.
 */
import { writeFileSync } from 'node:fs';
import { DOCUMENT_FILE, documentText } from './document-file.js';

writeFileSync(DOCUMENT_FILE, documentText());
process.stdout.write(`wrote ${DOCUMENT_FILE}\n`);
