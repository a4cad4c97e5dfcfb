import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiParam, ApiQuery, ApiResponse, type SchemaObject } from '@nestjs/swagger';
import { z } from 'zod';

/**
 * A zod schema as an OpenAPI 3.0 schema. Requests are described by what the caller sends
 * (`input`: defaults optional, before transforms); responses by what the route returns.
 */
export function toOpenApiSchema(schema: z.ZodType, io: 'input' | 'output'): SchemaObject {
  // Transforms and custom types have no JSON Schema; they are documented as "any value" rather than failing the build.
  return z.toJSONSchema(schema, { target: 'openapi-3.0', io, unrepresentable: 'any' }) as SchemaObject;
}

/** Documents the JSON body a route validates with `new ZodValidationPipe(schema)`. */
export const ApiZodBody = (schema: z.ZodType, description?: string) => ApiBody({ schema: toOpenApiSchema(schema, 'input'), required: true, description });

/** Documents a response body. */
export const ApiZodResponse = (status: number, schema: z.ZodType, description = 'Success') =>
  ApiResponse({ status, description, schema: toOpenApiSchema(schema, 'output') });

/** Documents each field of a query-string object schema as a query parameter. */
export const ApiZodQuery = (schema: z.ZodObject) => applyDecorators(...parametersOf(schema).map((p) => ApiQuery(p)));

/** Documents each field of a path-parameters object schema. */
export const ApiZodParams = (schema: z.ZodObject) =>
  applyDecorators(...parametersOf(schema).map(({ name, schema: s, description }) => ApiParam({ name, schema: s, description })));

function parametersOf(schema: z.ZodObject): { name: string; required: boolean; schema: SchemaObject; description?: string }[] {
  const object = toOpenApiSchema(schema, 'input');
  const required = new Set(object.required ?? []);
  return Object.entries(object.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property as SchemaObject;
    return { name, required: required.has(name), schema: rest, description };
  });
}
