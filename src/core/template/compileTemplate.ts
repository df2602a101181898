import type { TemplateDelegate } from 'handlebars';
import { promptEnvironment } from './promptEnvironment';

const MAX_ENTRIES = 256;
const cache = new Map<string, TemplateDelegate>();

/**
 * Compiles a prompt template (strict variables, no HTML escaping: prompts are plain text), cached by source so
 * re-rendering while the user types or across 75k prompts costs one compile per distinct text.
 */
export function compileTemplate(source: string): TemplateDelegate {
  let fn = cache.get(source);
  if (fn) {
    // Refresh recency so the entry being edited is not evicted.
    cache.delete(source);
    cache.set(source, fn);
    return fn;
  }
  fn = promptEnvironment().compile(source, { strict: true, noEscape: true });
  cache.set(source, fn);
  if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
  return fn;
}
