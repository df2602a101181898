import type { ModelSpec } from '../experiment';
import { requestHash, requestHashBase } from '../run/requestHash';
import type { WorkItem } from '../run/WorkItem';
import type { OpenedCultureExperiment } from './openCultureExperiment';

/**
 * The work items of a culture experiment, lazily: condition (culture × model × template) × question × variant,
 * each with its rendered prompt and `samples` request hashes (the engine's hashes: cache, resume and dedupe work
 * as for any run). The culture id goes into the record's `personaId`: the culture is whom the model answers as.
 */
export function* expandCultureRequests(exp: OpenedCultureExperiment): Generator<WorkItem> {
  const models = new Map<string, ModelSpec>(exp.spec.models.map((m) => [m.id, m]));
  const n = exp.spec.samples;
  for (const c of exp.conditions) {
    const model = models.get(c.model)!;
    for (const q of exp.questions) {
      const variants = exp.variantsFor(c, q);
      for (let v = 0; v < variants.length; v++) {
        const messages = exp.render(c, q, v);
        const base = requestHashBase(model, messages);
        const samples = new Array<{ sample: number; hash: string }>(n);
        for (let s = 0; s < n; s++) samples[s] = { sample: s, hash: requestHash(base, s) };
        const lang = variants[v]!.lang;
        yield {
          condition: c.id, model, lang: c.lang, personaId: c.cultureId, questionId: q.id, variant: v, messages, samples,
          options: (q.options[lang] ?? q.options.en!).map((o) => `${o.code}. ${o.label}`),
        };
      }
    }
  }
}
