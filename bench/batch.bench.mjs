// Batch benchmark (issue #15): `alignment-studio batch export` and `batch import` of ≥ 1,000,000 requests.
// The experiment is paper-shaped, from the real data: 410 WVS respondents (303 Egypt, 107 United States) × the
// 31 questions × 4 paraphrase variants × 5 samples × 4 conditions (EN/AR × plain/anthropological prompt) =
// 1,016,800 planned requests, of which ≥ 1,000,000 distinct (one Batch line each). Each phase runs the CLI's own code in a fresh process; reported:
// wall time and the process's peak RSS (getrusage maxrss). Between the two, output files in the OpenAI Batch
// format are written for every line (not measured). Targets: each phase < 30 s and < 300 MB.
// `npm run bench -- batch` (builds first). `--quick` for a smaller smoke run, `--keep` keeps the workspace (profiling). Data: ../shared/data (or ALIGNMENT_DATA).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { Writable } from 'node:stream';
import { BENCH_DIR, writeResult } from './lib.mjs';

const ROOT = path.resolve(BENCH_DIR, '..');
const require = createRequire(import.meta.url);
const out = (p) => path.join(ROOT, 'out', p);
const phase = (process.argv.find((a) => a.startsWith('--phase=')) ?? '').slice('--phase='.length);
const quick = process.argv.includes('--quick');
const TARGET_SEC = 30;
// 410 × 2,480 = 1,016,800 planned requests; respondents with the same demographics share a prompt, asked once,
// which leaves ≥ 1,000,000 distinct requests (lines).
const PERSONAS = 410;
const TARGET_MB = 300;

/** A writable that counts and drops what the CLI prints (the last 1,000 lines are kept for the report). */
function sink() {
  const tail = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      for (const l of String(chunk).split('\n').filter(Boolean)) {
        tail.push(l);
        if (tail.length > 1000) tail.shift();
      }
      cb();
    },
  });
  return { stream, tail };
}

async function runPhase() {
  // One CLI command in this process: time it, then report the peak RSS of the whole process.
  const args = JSON.parse(process.argv.at(-1));
  const { batchCommand } = require(out('src/cli/batch.js'));
  const o = sink();
  const e = sink();
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const code = await batchCommand(args, o.stream, e.stream);
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  process.stdout.write(`${JSON.stringify({ code, ms, cpuMs: (cpu.user + cpu.system) / 1000, maxRssMB: process.resourceUsage().maxRSS / 1024, stdout: o.tail, stderr: e.tail })}\n`);
}

function child(args) {
  const r = spawnSync(process.execPath, [path.join(BENCH_DIR, 'batch.bench.mjs'), '--phase=cli', JSON.stringify(args)], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`phase ${args[0]} exited ${r.status}: ${r.stderr}`);
  const res = JSON.parse(r.stdout.trim().split('\n').at(-1));
  if (res.code !== 0) throw new Error(`batch ${args[0]} exited ${res.code}: ${[...res.stdout, ...res.stderr].join('\n')}`);
  return res;
}

/** An OpenAI Batch output line for every input line of the shards (a real batch returns them in another order). */
async function writeOutputs(exportDir, outDir) {
  fs.mkdirSync(outDir, { recursive: true });
  const files = [];
  let lines = 0;
  for (const shard of fs.readdirSync(exportDir).filter((f) => f.endsWith('.jsonl')).sort()) {
    const file = path.join(outDir, shard.replace(/\.jsonl$/, '.output.jsonl'));
    const fd = fs.openSync(file, 'w');
    let buf = [];
    const rl = readline.createInterface({ input: fs.createReadStream(path.join(exportDir, shard)), crlfDelay: Infinity });
    for await (const line of rl) {
      // The custom_id is the line's first field (exportBatch writes it first): no need to parse the prompt.
      const id = line.slice(14, 46);
      const k = 1 + (lines % 4);
      buf.push(`{"id":"batch_req_${lines}","custom_id":"${id}","response":{"status_code":200,"request_id":"req_${lines}","body":{"id":"chatcmpl-${lines}","object":"chat.completion","created":1733160000,"model":"bench-1","choices":[{"index":0,"message":{"role":"assistant","content":"(${k})"},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":412,"completion_tokens":3,"total_tokens":415}}},"error":null}\n`);
      lines++;
      if (buf.length >= 4096) {
        fs.writeSync(fd, buf.join(''));
        buf = [];
      }
    }
    fs.writeSync(fd, buf.join(''));
    fs.closeSync(fd);
    files.push(file);
  }
  return { files, lines };
}

async function main() {
  const { importWvsRespondents } = require(out('src/core/persona/importWvsRespondents.js'));
  const DATA = [process.env.ALIGNMENT_DATA, path.resolve(ROOT, '../shared/data'), '/work/shared/data'].find((d) => d && fs.existsSync(path.join(d, 'wvs'))) ?? path.resolve(ROOT, '../shared/data');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'as-batch-bench-'));
  try {
    const example = path.join(ROOT, 'examples/wvs-egypt-us');
    fs.cpSync(path.join(example, 'prompts'), path.join(dir, 'prompts'), { recursive: true });
    fs.cpSync(path.join(example, 'survey'), path.join(dir, 'survey'), { recursive: true });
    const people = (csv, country) => importWvsRespondents(fs.readFileSync(path.join(DATA, 'wvs', csv), 'utf8'), { file: csv, country, skipIncomplete: true });
    const personas = [...people('eg_wvs_wave7_v7_n303.csv', 'egypt'), ...people('us_wvs_wave7_v7_n303.csv', 'united states')].slice(0, quick ? 40 : PERSONAS);
    fs.writeFileSync(path.join(dir, 'personas.jsonl'), `${personas.map((p) => JSON.stringify(p)).join('\n')}\n`);
    const model = { id: 'bench', kind: 'openai', baseURL: 'http://127.0.0.1:9/v1', model: 'bench-1', temperature: 0.7, maxTokens: 5, pricePer1kInput: 0.00015, pricePer1kOutput: 0.0006, batchDiscount: 0.5 };
    const conditions = ['persona', 'anthro'].flatMap((t) => ['en', 'ar'].map((lang) => ({ id: `${lang}-${t}`, template: `prompts/${t}.${lang}.hbs`, lang, model: 'bench' })));
    const experiment = path.join(dir, 'bench.experiment.json');
    fs.writeFileSync(experiment, JSON.stringify({ name: 'batch bench', survey: 'survey/wvs-31.survey.json', personas: 'personas.jsonl', questions: 'all', variants: [0, 1, 2, 3], samples: 5, models: [model], conditions }, null, 2));

    const exp = child(['export', experiment]);
    const runId = /^run (\S+): export/m.exec(exp.stdout.join('\n'))?.[1];
    const requests = Number(/, (\d+) lines/.exec(exp.stdout.join('\n'))?.[1]);
    if (!runId || !requests) throw new Error(`unexpected export output: ${exp.stdout.join('\n')}`);
    const runDir = path.join(dir, '.alignment/runs', runId);
    const exportDir = path.join(runDir, 'batch/exports/001');
    const shards = fs.readdirSync(exportDir).filter((f) => f.endsWith('.jsonl'));
    const exportBytes = shards.reduce((s, f) => s + fs.statSync(path.join(exportDir, f)).size, 0);
    console.log(`[bench] export: ${requests} requests in ${shards.length} shards (${(exportBytes / 2 ** 20).toFixed(0)} MiB), ${(exp.ms / 1000).toFixed(1)} s (CPU ${(exp.cpuMs / 1000).toFixed(1)} s), peak RSS ${exp.maxRssMB.toFixed(0)} MB`);

    const t = performance.now();
    const outputs = await writeOutputs(exportDir, path.join(dir, 'outputs'));
    if (outputs.lines !== requests) throw new Error(`${outputs.lines} output lines for ${requests} requests`);
    console.log(`[bench] wrote ${outputs.lines} output lines in ${((performance.now() - t) / 1000).toFixed(1)} s (not measured)`);

    const imp = child(['import', experiment, '--run', runId, ...outputs.files]);
    const imported = Number(/imported (\d+) answers/.exec(imp.stdout.join('\n'))?.[1]);
    if (imported !== requests) throw new Error(`imported ${imported} of ${requests}: ${imp.stdout.join('\n')}`);
    const records = fs.readFileSync(path.join(runDir, 'responses.jsonl')).reduce((n, b) => n + (b === 10 ? 1 : 0), 0);
    if (records !== requests) throw new Error(`${records} records in the run for ${requests} requests`);
    console.log(`[bench] import: ${imported} answers, ${(imp.ms / 1000).toFixed(1)} s (CPU ${(imp.cpuMs / 1000).toFixed(1)} s), peak RSS ${imp.maxRssMB.toFixed(0)} MB`);

    const round = (x, d = 1) => Number(x.toFixed(d));
    const result = {
      requests, shards: shards.length, exportMiB: round(exportBytes / 2 ** 20, 0),
      exportSec: round(exp.ms / 1000), exportCpuSec: round(exp.cpuMs / 1000), exportPeakRssMB: round(exp.maxRssMB, 0),
      importSec: round(imp.ms / 1000), importCpuSec: round(imp.cpuMs / 1000), importPeakRssMB: round(imp.maxRssMB, 0),
      loadAverage: round(os.loadavg()[0]),
      target: `each < ${TARGET_SEC} s and < ${TARGET_MB} MB`,
      meetsTarget: exp.ms / 1000 < TARGET_SEC && imp.ms / 1000 < TARGET_SEC && exp.maxRssMB < TARGET_MB && imp.maxRssMB < TARGET_MB,
      note: '410 real WVS respondents × 31 questions × 4 variants × 5 samples × 4 conditions (EN/AR × plain/anthro); each phase is the CLI command in a fresh process (export includes the live-vs-batch estimate)',
    };
    if (!quick && requests < 1_000_000) throw new Error(`only ${requests} lines`);
    if (!quick) writeResult('batch', result);
    else console.log(`[bench] quick: ${JSON.stringify(result)}`);
  } finally {
    if (process.argv.includes('--keep')) console.log(`[bench] kept ${dir}`);
    else fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (phase === 'cli') await runPhase();
else await main();
