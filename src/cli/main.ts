// `alignment-studio <command>`: the headless entry point, reusing core/ (commands are added by the features).
const USAGE = `usage: alignment-studio <run|score|export|batch> [options]
  run <experiment.json>     run an experiment
  batch <estimate|export|submit|status|import|cancel> <experiment.json>
                            run it through the OpenAI Batch API or vLLM run_batch
  score <run-dir>           score a run (or --completions <dir> --survey <csv>)
  export <run-dir>          export results`;

export async function main(argv: string[]): Promise<number> {
  const [command] = argv;
  if (!command || command === '--help' || command === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return command ? 0 : 2;
  }
  // Loaded on demand so `--help` and the other commands start fast.
  if (command === 'run') return (await import('./run')).runCommand(argv.slice(1));
  if (command === 'export') return (await import('./export')).exportCommand(argv.slice(1));
  if (command === 'batch') return (await import('./batch')).batchCommand(argv.slice(1));
  if (command === 'score') return (await import('./score')).scoreCommand(argv.slice(1));
  process.stderr.write(`alignment-studio: unknown command "${command}"\n${USAGE}\n`);
  return 2;
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code), (e: unknown) => {
    process.stderr.write(`alignment-studio: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
