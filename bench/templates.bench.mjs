// Template rendering benchmark (issue #4): every prompt of the paper's Egypt survey in English and Arabic.
//   allPromptsMs         303 respondents × 31 questions × 4 variants × {en, ar} = 75,144 prompts with
//                        persona.{en,ar}.hbs: buildPromptContext + renderPrompt (median of 5 runs; target < 1000 ms)
//   allPromptsCpuMs      the same in CPU time of this process (the machine is shared: wall time includes waiting)
//   perPromptUs          allPromptsMs / 75,144
//   previewPairP50/P95Ms one persona × question rendered in both panes (EN + AR), warm cache (target p95 < 5 ms)
//   editedPairP50/P95Ms  the same after an edit: a new template text each time (parse, diagnose, compile, render)
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { percentile, writeResult } from './lib.mjs';

const require = createRequire(import.meta.url);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const fs = require('node:fs');
const DATA = [process.env.ALIGNMENT_DATA, path.resolve(ROOT, '../shared/data'), '/work/shared/data'].find((d) => d && fs.existsSync(path.join(d, 'wvs'))) ?? path.resolve(ROOT, '../shared/data');
const core = (m) => require(path.join(ROOT, 'out/src/core', m));
const { loadPaperSurvey } = core('survey/loadPaperSurvey.js');
const { importWvsRespondents } = core('persona/importWvsRespondents.js');
const { buildPromptContext } = core('template/buildPromptContext.js');
const { renderPrompt } = core('template/renderPrompt.js');
const { loadPartials } = core('template/templateFiles.js');

const survey = await loadPaperSurvey(path.join(DATA, 'wvs'));
const csv = path.join(DATA, 'wvs/eg_wvs_wave7_v7_n303.csv');
const t0 = performance.now();
const personas = importWvsRespondents(fs.readFileSync(csv, 'utf8'), { file: csv });
const importMs = performance.now() - t0;
const partials = await loadPartials(path.join(ROOT, 'prompts', 'persona.en.hbs'));
const templates = { en: fs.readFileSync(path.join(ROOT, 'prompts/persona.en.hbs'), 'utf8'), ar: fs.readFileSync(path.join(ROOT, 'prompts/persona.ar.hbs'), 'utf8') };

function renderAll() {
  let prompts = 0;
  let chars = 0;
  for (const lang of ['en', 'ar']) {
    const options = { file: `prompts/persona.${lang}.hbs`, partials };
    for (const persona of personas) {
      for (const question of survey.questions) {
        for (let v = 0; v < 4; v++) {
          const out = renderPrompt(templates[lang], buildPromptContext(persona, question, v, lang), options);
          if (out.messages.length !== 1) throw new Error(`render failed: ${JSON.stringify(out.diagnostics)}`);
          chars += out.messages[0].content.length;
          prompts++;
        }
      }
    }
  }
  return { prompts, chars };
}

renderAll(); // warm-up: compile and JIT
const runs = [];
const cpuRuns = [];
let counts;
for (let i = 0; i < 5; i++) {
  globalThis.gc?.();
  const t = performance.now();
  const cpu = process.cpuUsage();
  counts = renderAll();
  runs.push(performance.now() - t);
  const used = process.cpuUsage(cpu);
  cpuRuns.push((used.user + used.system) / 1000);
}
const allPromptsMs = percentile(runs, 50);

const pair = (sources) => {
  const persona = personas[Math.floor(Math.random() * personas.length)];
  const question = survey.questions[Math.floor(Math.random() * survey.questions.length)];
  const t = performance.now();
  for (const lang of ['en', 'ar']) renderPrompt(sources[lang], buildPromptContext(persona, question, 0, lang), { file: `persona.${lang}.hbs`, partials });
  return performance.now() - t;
};
const warm = Array.from({ length: 2000 }, () => pair(templates));
// An edit changes the text: every call is a template never seen before (parse, static checks, compile, render).
let n = 0;
const edited = Array.from({ length: 300 }, () => {
  n++;
  return pair({ en: `${templates.en}{{!-- edit ${n} --}}`, ar: `${templates.ar}{{!-- edit ${n} --}}` });
});

const round = (x) => Math.round(x * 100) / 100;
writeResult('templates', {
  prompts: counts.prompts,
  promptChars: counts.chars,
  allPromptsMs: round(allPromptsMs),
  allPromptsBestMs: round(Math.min(...runs)),
  allPromptsRunsMs: runs.map(round),
  // CPU time of this process: the machine is shared, so wall time includes waiting for a core.
  allPromptsCpuMs: round(percentile(cpuRuns, 50)),
  loadAverage: os.loadavg()[0],
  perPromptUs: round((allPromptsMs * 1000) / counts.prompts),
  targetMs: 1000,
  previewPairP50Ms: round(percentile(warm, 50)),
  previewPairP95Ms: round(percentile(warm, 95)),
  editedPairP50Ms: round(percentile(edited, 50)),
  editedPairP95Ms: round(percentile(edited, 95)),
  previewTargetP95Ms: 5,
  importWvs303Ms: round(importMs),
});
