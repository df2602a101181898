// `alignment-studio <command>`: the headless entry point, reusing core/ (commands are added by the features).
// Exit codes are the same for every command (src/cli/exitCodes.ts): 0 ok, 1 failures, 2 bad input or usage, 130 interrupted.
const USAGE = `usage: alignment-studio <run|score|export|batch|culture|augment|finetune-data> [options]   (<command> --help for its options)
  run <experiment.json>     run an experiment
  batch <estimate|export|submit|status|import|cancel> <experiment.json>
                            run it through the OpenAI Batch API or vLLM run_batch
  score <run-dir>           score a run (or --completions <dir> --survey <csv>)
  export <run-dir>          export results
  culture <x.culture.json>  run a CultureLLM culture experiment and score it per culture
  augment <x.culture.json>  semantic augmentation: paraphrase the seeds, keep those close to the seed (≥ τ)
  finetune-data <x.culture.json>
                            fine-tuning JSONL per culture and for all cultures, validated, with a held-out split
exit codes: 0 ok, 1 failures (failed requests, a failed batch, nothing to score), 2 bad input or usage, 130 interrupted`;

export async function main(argv: string[]): Promise<number> {
  const [command] = argv;
  if (!command || command === '--help' || command === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return command ? 0 : 2;
  }
  // `run`, `batch`, `culture` and `augment` stop gracefully on the first Ctrl-C (and exit 130 themselves); the other
  // commands stop at once with 130.
  if (!['run', 'batch', 'culture', 'augment'].includes(command)) process.once('SIGINT', () => process.exit(130));
  // Loaded on demand so `--help` and the other commands start fast.
  if (command === 'run') return (await import('./run')).runCommand(argv.slice(1));
  if (command === 'export') return (await import('./export')).exportCommand(argv.slice(1));
  if (command === 'batch') return (await import('./batch')).batchCommand(argv.slice(1));
  if (command === 'score') return (await import('./score')).scoreCommand(argv.slice(1));
  if (command === 'culture') return (await import('./culture')).cultureCommand(argv.slice(1));
  if (command === 'augment') return (await import('./augment')).augmentCommand(argv.slice(1));
  if (command === 'finetune-data') return (await import('./finetuneData')).finetuneDataCommand(argv.slice(1));
  process.stderr.write(`alignment-studio: unknown command "${command}"\n${USAGE}\n`);
  return 2;
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code), (e: unknown) => {
    process.stderr.write(`alignment-studio: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
