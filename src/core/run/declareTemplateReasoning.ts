import { readFile } from 'node:fs/promises';
import { InputError } from '../errors';
import type { ExperimentSpec } from '../experiment';
import { readFrontMatter } from '../template/templateFiles';

/**
 * The spec with each condition's `reasoning` settled: the condition's own value when it has one, else its template's
 * front matter (`reasoning: true`). The result goes into the run's manifest, so scoring and the drill-down read it
 * from there. A front matter error is an InputError at the template's line. Missing templates are left to the
 * renderer, which reports them.
 */
export async function declareTemplateReasoning(spec: ExperimentSpec, resolve: (relative: string) => string): Promise<ExperimentSpec> {
  const declared = new Map<string, boolean | undefined>();
  for (const c of spec.conditions) {
    if (c.reasoning !== undefined || declared.has(c.template)) continue;
    const file = resolve(c.template);
    let source: string;
    try {
      source = await readFile(file, 'utf8');
    } catch {
      declared.set(c.template, undefined);
      continue;
    }
    const { frontMatter, diagnostics } = readFrontMatter(source, file);
    const error = diagnostics.find((d) => d.severity === 'error');
    if (error) throw new InputError(error.message, error, error.field);
    declared.set(c.template, frontMatter.reasoning);
  }
  if (![...declared.values()].some((r) => r === true)) return spec;
  return { ...spec, conditions: spec.conditions.map((c) => (c.reasoning === undefined && declared.get(c.template) === true ? { ...c, reasoning: true } : c)) };
}
