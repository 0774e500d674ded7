import { readFileSync } from 'node:fs';

/** The parts of an OpenAPI schema the generated tests read. */
export interface Schema {
  type?: string;
  format?: string;
  enum?: unknown[];
  example?: unknown;
  default?: unknown;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  allOf?: Schema[];
  $ref?: string;
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
  minLength?: number;
}
export interface Operation {
  parameters?: { name: string; in: 'path' | 'query'; schema?: Schema }[];
  requestBody?: { content: Record<string, { schema: Schema }> };
}

/** The committed OpenAPI document (openapi.e2e-spec keeps it equal to the app's). */
export const document = JSON.parse(readFileSync(new URL('../../openapi.json', import.meta.url), 'utf8')) as {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
};
export const schemas = document.components.schemas;

/** The schema a `$ref` names, or the schema itself. */
export function resolve(schema: Schema): Schema {
  return schema.$ref ? schemas[refName(schema)] : schema;
}

export const refName = (schema: Schema) => schema.$ref!.split('/').pop()!;

/** The operation of an Express route (`/api/contacts/:id`), if the document has it. */
export function operationOf(method: string, expressPath: string): Operation | undefined {
  return document.paths[expressPath.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()];
}
