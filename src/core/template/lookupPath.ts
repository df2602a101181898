/** The value at a Handlebars path (`persona.region`, `question.options.0`, `@root.lang`) in a context; undefined if absent. */
export function lookupPath(context: unknown, path: string): unknown {
  const parts = path.replace(/^@root\./, '').replace(/^this\./, '').split('.').filter(Boolean);
  let value: unknown = context;
  for (const part of parts) {
    if (value === null || typeof value !== 'object') return undefined;
    const key = part.replace(/^\[(.*)\]$/, '$1');
    if (!Object.prototype.hasOwnProperty.call(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}
