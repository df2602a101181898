import path from 'node:path';
import type { Persona } from '../model';
import { loadPersonas } from '../persona/loadPersonas';
import { loadSurvey } from '../survey/loadSurvey';
import type { RunDirectory } from './readRunDirectory';
import type { ScoreInput, ScoringCondition } from './scoreResponses';

export interface RunScoringOptions {
  /** Workspace root; default: three levels above the run directory (`<ws>/.alignment/runs/<id>`). */
  workspace?: string;
  /** Override the twin country of the same-answer filter (default: the experiment's `scoring.twinCountry`). */
  twinCountry?: string;
}

/**
 * Builds the scoring input of a run: the survey and personas files of the run's experiment (paths relative to
 * the experiment file), one condition per experiment condition (anthropological templates parse the last line),
 * the recorded replies as samples, and the twin country's personas for the same-answer filter.
 */
export async function runScoringInput(run: RunDirectory, opts: RunScoringOptions = {}): Promise<ScoreInput> {
  const spec = run.manifest.experiment;
  const workspace = opts.workspace ?? path.resolve(run.dir, '..', '..', '..');
  const base = run.manifest.experimentFile ? path.dirname(path.resolve(workspace, run.manifest.experimentFile)) : workspace;
  const survey = await loadSurvey(path.resolve(base, spec.survey));
  const personas = await loadPersonas(path.resolve(base, spec.personas));
  const twinCountry = (opts.twinCountry ?? spec.scoring?.twinCountry)?.toLowerCase();
  const twins: Persona[] | undefined = twinCountry ? personas.filter((p) => p.country.toLowerCase() === twinCountry) : undefined;
  const replay = new Set(spec.models.filter((m) => m.kind === 'replay').map((m) => m.id));
  const conditions: ScoringCondition[] = spec.conditions.map((c) => ({
    id: c.id, lang: c.lang, model: c.model, ...(c.label ? { label: c.label } : {}),
    recorded: !!run.manifest.recorded || replay.has(c.model),
    reasoning: /anthro/i.test(path.basename(c.template)),
  }));
  return {
    questions: survey.questions,
    conditions,
    samples: run.responses.map((r) => ({ condition: r.condition, personaId: r.personaId, questionId: r.questionId, variant: r.variant, sample: r.sample, text: r.text })),
    personas,
    ...(twins ? { twins } : {}),
    ...(spec.scoring?.compare ? { compare: [spec.scoring.compare] } : {}),
    source: { kind: 'run', path: run.dir, runId: run.manifest.runId, ...(twinCountry ? { twinCountry } : {}) },
  };
}
