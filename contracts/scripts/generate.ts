// Writes the published documents (AsyncAPI, OpenAPI, one JSON Schema per event and body) under contracts/generated/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generatedDocuments } from '../src/generated-documents';

const outDir = join(__dirname, '..', 'generated');
for (const [file, content] of Object.entries(generatedDocuments())) {
  const path = join(outDir, file);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, content);
  console.log(`wrote contracts/generated/${file}`);
}
