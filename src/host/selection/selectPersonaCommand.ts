import * as vscode from 'vscode';
import type { Persona } from '../../core/model';
import type { SelectionService } from './SelectionService';

/** A persona as a QuickPick row: id, the five twin fields, region and country in every language. */
export function personaPickItem(p: Persona, current: boolean): vscode.QuickPickItem & { id: string } {
  const en = p.values.en;
  const other = Object.entries(p.values).filter(([lang]) => lang !== 'en').map(([, v]) => `${v.region}، ${v.country}`);
  return {
    id: p.id,
    label: `${current ? '$(check) ' : ''}${p.id}`,
    description: [en.sex, en.age, en.marital_status, en.education, en.social_class].join(' · '),
    detail: [`${en.region}, ${en.country}`, ...other].join('  —  '),
  };
}

/** "Alignment Studio: Select Persona…": a searchable list of the workspace's personas (id, demographics, region). */
export async function selectPersonaCommand(selection: SelectionService): Promise<string | undefined> {
  const s = await selection.ready();
  if (s.personas.length === 0) {
    void vscode.window.showWarningMessage(s.problems[0] ?? 'No personas found: add a personas file (JSONL or CSV) and an *.experiment.json that uses it.');
    return undefined;
  }
  const items = s.personas.map((p) => personaPickItem(p, p.id === s.persona?.id));
  const picked = await vscode.window.showQuickPick(items, {
    title: `Select Persona (${s.personas.length})`,
    placeHolder: 'Search by id, region, sex, age, marital status, education, social class',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (!picked) return undefined;
  await selection.selectPersona(picked.id);
  return picked.id;
}

/** "Alignment Studio: Select Question…": the survey's questions with their theme. */
export async function selectQuestionCommand(selection: SelectionService): Promise<string | undefined> {
  const s = await selection.ready();
  const questions = s.survey?.questions ?? [];
  if (questions.length === 0) {
    void vscode.window.showWarningMessage(s.problems[0] ?? 'No survey found: add a *.survey.json and an *.experiment.json that uses it.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    questions.map((q) => ({ id: q.id, label: `${q.id === s.question?.id ? '$(check) ' : ''}${q.id}`, description: q.description.en ?? '', detail: `${q.theme} · ${q.scale} · ${q.options.en?.length ?? 0} options` })),
    { title: 'Select Question', matchOnDescription: true, matchOnDetail: true },
  );
  if (!picked) return undefined;
  await selection.selectQuestion(picked.id);
  return picked.id;
}
