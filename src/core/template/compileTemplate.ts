import type { TemplateDelegate } from 'handlebars';
import { promptEnvironment } from './promptEnvironment';
import { PROMPT_HELPERS } from './promptHelpers';
import { templateBody } from './templateFiles';

const MAX_ENTRIES = 256;
const cache = new Map<string, TemplateDelegate>();
// Known helpers are called directly by the compiled code instead of being looked up on every render.
const KNOWN_HELPERS = Object.fromEntries(PROMPT_HELPERS.map((h) => [h.name, true]));

/**
 * Compiles a prompt template (strict variables, no HTML escaping: prompts are plain text), cached by source so
 * re-rendering while the user types or across 75k prompts costs one compile per distinct text.
 */
export function compileTemplate(source: string): TemplateDelegate {
  let fn = cache.get(source);
  if (!fn) {
    fn = promptEnvironment().compile(templateBody(source), { strict: true, noEscape: true, knownHelpers: KNOWN_HELPERS });
    cache.set(source, fn);
    // Oldest first: the template being edited is re-added on each change, so it is never the one evicted.
    if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
  }
  return fn;
}
