/** The shape of the values a template can reach, derived from a sample context (for static checks and completion). */
export type TemplateSchema =
  | { kind: 'object'; fields: Map<string, TemplateSchema> }
  | { kind: 'array'; element: TemplateSchema }
  | { kind: 'leaf'; type: string }
  | { kind: 'any' };

/** Derives the schema of a value: objects by their fields, arrays by their first element. */
export function templateSchema(value: unknown): TemplateSchema {
  if (Array.isArray(value)) return { kind: 'array', element: value.length > 0 ? templateSchema(value[0]) : { kind: 'any' } };
  if (typeof value === 'object' && value !== null) {
    return { kind: 'object', fields: new Map(Object.entries(value).map(([k, v]) => [k, templateSchema(v)])) };
  }
  return { kind: 'leaf', type: value === null ? 'null' : typeof value };
}

/** Every dotted path in a schema with its type, e.g. `persona.age: number`, for completion and docs. */
export function schemaPaths(schema: TemplateSchema, prefix = ''): { path: string; type: string }[] {
  if (schema.kind === 'object') {
    return [...schema.fields].flatMap(([k, s]) => {
      const path = prefix ? `${prefix}.${k}` : k;
      return [{ path, type: s.kind === 'leaf' ? s.type : s.kind === 'array' ? 'list' : s.kind }, ...(s.kind === 'object' ? schemaPaths(s, path) : [])];
    });
  }
  return [];
}
