import type { ResponseRecord } from '../experiment';
import type { Persona, Question } from '../model';

export interface PersonaAnswersInput {
  persona: Persona;
  questions: Question[];
  lang: string;
  /** The records of the quick run (any order). */
  records: Iterable<ResponseRecord>;
  /** Model ids answered from recorded completions. */
  recordedModels: ReadonlySet<string>;
  template: string;
  runId: string;
}

/** Markdown table cell: one line, pipes escaped. */
function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ⏎ ').replace(/\|/g, '\\|').trim() || '∅';
}

/**
 * The answers of a "Run for persona" as Markdown: per question the options, the persona's real survey answer,
 * and per model a table of every sample's raw reply and parsed option (recorded answers are labelled).
 */
export function formatPersonaAnswers(input: PersonaAnswersInput): string {
  const { persona, lang } = input;
  const v = persona.values[lang] ?? persona.values.en;
  const byKey = new Map<string, ResponseRecord[]>();
  for (const r of input.records) {
    const k = `${r.questionId}\u0000${r.model}`;
    let list = byKey.get(k);
    if (!list) byKey.set(k, (list = []));
    list.push(r);
  }
  const models = [...new Set([...byKey.keys()].map((k) => k.split('\u0000')[1]))].sort();
  const out: string[] = [
    `# ${persona.id} — ${input.template}`,
    '',
    `${v.region}, ${v.country} · ${v.sex} · ${v.age} · ${v.marital_status} · ${v.education} · ${v.social_class}`,
    '',
    `Models: ${models.map((m) => (input.recordedModels.has(m) ? `${m} (**recorded answers**, not a live model)` : m)).join(', ') || 'none'} · run \`${input.runId}\``,
  ];
  for (const q of input.questions) {
    const options = q.options[lang] ?? q.options.en ?? [];
    const label = (k: number | null | undefined): string => (k == null ? 'unparsed' : `${k} — ${options[k - 1] ?? '?'}`);
    out.push('', `## ${q.id} — ${q.description[lang] ?? q.description.en ?? ''}`, '');
    out.push(`Options: ${options.map((o, i) => `(${i + 1}) ${o}`).join(' · ')}`, '');
    const real = persona.answers[q.id];
    out.push(`Survey answer of this respondent: ${real == null ? 'missing' : label(real)}`);
    for (const m of models) {
      const records = (byKey.get(`${q.id}\u0000${m}`) ?? []).sort((a, b) => a.variant - b.variant || a.sample - b.sample);
      if (records.length === 0) continue;
      out.push('', `### ${m}${input.recordedModels.has(m) ? ' (recorded)' : ''}`, '', '| variant | sample | raw reply | parsed |', '|---:|---:|---|---|');
      for (const r of records) {
        out.push(`| ${r.variant} | ${r.sample} | ${r.text === null ? `**failed**: ${cell(r.error ?? '')}` : cell(r.text)} | ${r.text === null ? '' : label(r.parsed)} |`);
      }
      const counts = new Map<number, number>();
      for (const r of records) if (r.parsed != null) counts.set(r.parsed, (counts.get(r.parsed) ?? 0) + 1);
      const top = [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0];
      if (top) out.push('', `Most frequent: ${label(top[0])} (${top[1]} of ${records.length})${real != null ? (top[0] === real ? ' — matches the survey answer' : ' — differs from the survey answer') : ''}`);
    }
  }
  return `${out.join('\n')}\n`;
}
