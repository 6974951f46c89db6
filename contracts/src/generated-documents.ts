// The files under contracts/generated/, as text: written by `npm run generate -w @complaints/contracts`, checked by a test.
import { asyncApiDocument } from './asyncapi';
import { cloudEventOf } from './cloudevent';
import { ENDPOINTS } from './http/endpoints';
import { ProblemDetails } from './http/problem';
import { openApiDocument, plainSchema } from './openapi';
import { ALL_TOPICS, TOPIC_SPECS } from './topics';

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

export function generatedDocuments(): Record<string, string> {
  const files: Record<string, string> = {
    'asyncapi.json': json(asyncApiDocument()),
    'openapi.json': json(openApiDocument()),
  };
  for (const topic of ALL_TOPICS) {
    files[`schemas/events/${topic}.json`] = json({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      ...plainSchema(cloudEventOf(topic, TOPIC_SPECS[topic].schema)),
      $id: `urn:complaint-platform:event:${topic}`,
    });
  }
  for (const endpoint of ENDPOINTS) {
    if (!endpoint.request) continue;
    files[`schemas/http/${endpoint.operationId}.request.json`] = json({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      ...plainSchema(endpoint.request),
    });
  }
  files['schemas/http/problem-details.json'] = json({
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    ...plainSchema(ProblemDetails),
  });
  return files;
}
