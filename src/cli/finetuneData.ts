// `alignment-studio finetune-data <experiment.culture.json>`: CultureLLM fine-tuning files per culture and for all
// cultures (CultureLLM-One), validated, with a held-out split and a token and cost estimate.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { exportFineTuneData, type LabelRule } from '../core/culture/exportFineTuneData';
import { openCultureExperiment } from '../core/culture/openCultureExperiment';
import { validateFineTuneJsonl, type FineTuneReport } from '../core/culture/validateFineTuneJsonl';
import { InputError } from '../core/errors';
import { createTokenCounter } from '../core/run/createTokenCounter';
import { intFlag, numberFlag, parseFlags, UsageError, writeOut } from './parseFlags';

export const FINETUNE_USAGE = `usage: alignment-studio finetune-data <experiment.culture.json> [options]
       alignment-studio finetune-data --validate <file.jsonl>… [options]
  Writes OpenAI chat fine-tuning JSONL in the shape of CultureLLM's files: <culture>.jsonl per culture and
  culturellm-one.jsonl for all cultures, from the training seeds plus the accepted paraphrases; split.json (the
  held-out questions, for evaluating the tuned model on questions it did not see); report.json. Every file is
  validated (roles, one assistant answer on the question's scale, tokens per record, file size).

  --out <dir>            output folder (default: <experiment folder>/finetune)
  --labels paper|majority  paper: the paper's rule per country (floor of the mean, one block per country);
                         majority: the culture's most frequent answer (default paper)
  --held-out <fraction>  share of seed questions held out (default 0.2)   --seed <n>  split seed (default 1)
  --no-paraphrases       seeds only
  --model <name>         tokenizer of this model for the token counts (default gpt-4o-mini)
  --epochs <n>           training epochs for the estimate (default 3)
  --price <usd>          USD per 1M training tokens (default: no cost)
  --max-tokens <n>       per-record token limit (default 65536)
  --validate             validate the given JSONL files instead of exporting
  --json                 print the report as JSON
exit codes: 0 ok and valid, 1 a file does not validate, 2 bad input or usage`;

const VALUE = ['out', 'labels', 'held-out', 'seed', 'model', 'epochs', 'price', 'max-tokens'];
const BOOL = ['no-paraphrases', 'validate', 'json', 'help'];

function describe(name: string, r: FineTuneReport, extra = ''): string[] {
  const lines = [`${name}: ${r.records} records, ${r.totalTokens} tokens (max ${r.maxTokens}/record), ${(r.bytes / 1024).toFixed(1)} KiB${extra}${r.errors.length ? `, ${r.errors.length} error(s)` : ', valid'}`];
  for (const e of r.errors.slice(0, 20)) lines.push(`  ${name}:${e.line}${e.field ? ` ${e.field}` : ''}: ${e.message}`);
  if (r.errors.length > 20) lines.push(`  … and ${r.errors.length - 20} more`);
  return lines;
}

export async function finetuneDataCommand(argv: string[], out: NodeJS.WriteStream = process.stdout, err: NodeJS.WriteStream = process.stderr): Promise<number> {
  try {
    const flags = parseFlags(argv, VALUE, BOOL);
    if (flags.bools.has('help')) {
      await writeOut(out, `${FINETUNE_USAGE}\n`);
      return 0;
    }
    const labels = (flags.values.get('labels') ?? 'paper') as LabelRule;
    if (labels !== 'paper' && labels !== 'majority') throw new UsageError(`--labels must be paper or majority, got "${labels}"`);
    const heldOut = numberFlag(flags, 'held-out', 0, 0.99);
    const epochs = intFlag(flags, 'epochs', 1, 100) ?? 3;
    const price = numberFlag(flags, 'price', 0, 1e6);
    const maxTokens = intFlag(flags, 'max-tokens', 1, 10_000_000);
    const modelName = flags.values.get('model') ?? 'gpt-4o-mini';
    const model = { id: modelName, kind: 'openai' as const, model: modelName };
    const count = await createTokenCounter([model]);
    const countTokens = (t: string): number => count(t, model);
    const validateOptions = { countTokens, epochs, ...(price !== undefined ? { pricePer1MTraining: price } : {}), ...(maxTokens !== undefined ? { maxTokensPerRecord: maxTokens } : {}) };
    if (flags.bools.has('validate')) {
      if (flags.positional.length === 0) throw new UsageError('--validate needs one or more JSONL files');
      const reports = flags.positional.map((f) => validateFineTuneJsonl(readFileSync(f, 'utf8'), f, validateOptions));
      await writeOut(out, flags.bools.has('json') ? `${JSON.stringify(reports.map(({ tokens: _t, ...r }) => r), null, 1)}\n` : `${reports.flatMap((r) => describe(r.file, r)).join('\n')}\n`);
      return reports.every((r) => r.errors.length === 0) ? 0 : 1;
    }
    if (flags.positional.length !== 1) throw new UsageError('give one experiment file (*.culture.json)');
    const exp = await openCultureExperiment(flags.positional[0]!);
    for (const w of exp.warnings) err.write(`${w.file}:${w.line}:${w.column}: warning: ${w.message}\n`);
    const result = exportFineTuneData(exp, {
      ...validateOptions, labels, paraphrases: !flags.bools.has('no-paraphrases'),
      ...(heldOut !== undefined ? { heldOutFraction: heldOut } : {}), ...(intFlag(flags, 'seed', 0, 2 ** 32 - 1) !== undefined ? { seed: intFlag(flags, 'seed', 0, 2 ** 32 - 1)! } : {}),
    });
    const dir = path.resolve(flags.values.get('out') ?? path.join(path.dirname(exp.file), 'finetune'));
    mkdirSync(dir, { recursive: true });
    for (const f of result.files) writeFileSync(path.join(dir, f.name), f.text);
    writeFileSync(path.join(dir, 'split.json'), `${JSON.stringify(result.split, null, 2)}\n`);
    const report = {
      dir, labels, split: result.split, totalTokens: result.totalTokens, trainingTokens: result.trainingTokens, epochs, cost: result.cost, valid: result.valid,
      files: result.files.map((f) => ({ name: f.name, culture: f.cultureId, records: f.records, paraphraseRecords: f.paraphraseRecords, skipped: f.skipped, bytes: f.report.bytes, totalTokens: f.report.totalTokens, maxTokens: f.report.maxTokens, errors: f.report.errors })),
    };
    writeFileSync(path.join(dir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
    if (flags.bools.has('json')) await writeOut(out, `${JSON.stringify(report, null, 1)}\n`);
    else {
      const lines = [`fine-tuning data in ${path.relative(process.cwd(), dir) || '.'} (labels: ${labels}; ${result.split.train.length} training and ${result.split.heldOut.length} held-out questions, split seed ${result.split.seed})`];
      for (const f of result.files) lines.push(...describe(f.name, f.report, f.paraphraseRecords ? `, ${f.paraphraseRecords} from paraphrases` : ''));
      lines.push(`held out: ${result.split.heldOut.join(', ')}  (split.json; evaluate the tuned model with "questions": { "split": "finetune/split.json", "part": "heldOut" })`);
      lines.push(`estimate: ${result.trainingTokens} training tokens over ${epochs} epoch(s) for the per-culture files${result.cost === null ? ' (give --price for a cost)' : `, ≈ $${result.cost.toFixed(2)}`}`);
      await writeOut(out, `${lines.join('\n')}\n`);
    }
    return result.valid ? 0 : 1;
  } catch (e) {
    if (e instanceof UsageError) {
      err.write(`alignment-studio finetune-data: ${e.message}\n${FINETUNE_USAGE}\n`);
      return 2;
    }
    if (e instanceof InputError || e instanceof RangeError || (e as NodeJS.ErrnoException).code === 'ENOENT') {
      err.write(`alignment-studio finetune-data: ${(e as Error).message}\n`);
      return 2;
    }
    throw e;
  }
}
