// Runs the fake server as its own process (benchmarks, crash tests): `node out/test/fake-server/main.js '<options json>'`.
// Prints one JSON line `{"baseURL": …}` when listening; on SIGTERM prints its stats as one JSON line and exits.
import { FakeOpenAIServer, type FakeServerOptions } from './FakeOpenAIServer';

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as FakeServerOptions;
  const server = await new FakeOpenAIServer(options).start();
  process.stdout.write(`${JSON.stringify({ baseURL: server.baseURL })}\n`);
  process.on('SIGTERM', () => {
    const { requests, ok, faults } = server.stats;
    process.stdout.write(`${JSON.stringify({ requests, ok, faults, cpuMs: process.cpuUsage().user / 1000 })}\n`);
    void server.stop().then(() => process.exit(0));
  });
}

void main();
