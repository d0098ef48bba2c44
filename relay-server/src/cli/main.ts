#!/usr/bin/env node
/** `switchboard-relay`: serve the relay, or administer its registry on the server. */
import { exitCodeOf, UsageError } from './cli-error.js';

interface Command {
  run(args: string[], print: (text: string) => void): Promise<void>;
  usage: string;
}

// Loaded on demand: administration commands start in a fraction of the time without the server's modules.
const COMMANDS: Record<string, () => Promise<Command>> = {
  serve: async () => {
    const { serveCommand, SERVE_USAGE } = await import('./serve-command.js');
    return { run: serveCommand, usage: SERVE_USAGE };
  },
  clusters: async () => {
    const { clustersCommand, CLUSTERS_USAGE } = await import('./clusters-command.js');
    return { run: clustersCommand, usage: CLUSTERS_USAGE };
  },
  access: async () => {
    const { accessCommand, ACCESS_USAGE } = await import('./access-command.js');
    return { run: accessCommand, usage: ACCESS_USAGE };
  },
};

const USAGE = `usage: switchboard-relay <command> ...

commands:
  serve      run the relay
  clusters   create, list and delete clusters in the registry (on the server: --data DIR or --database URL)
  access     grant, revoke and list access to clusters (on the server: --data DIR or --database URL)

Run "switchboard-relay <command> --help" for a command's flags.`;

const print = (text: string) => process.stdout.write(`${text}\n`);

async function main(args: string[]): Promise<void> {
  const [name, ...rest] = args;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    print(USAGE);
    return;
  }
  const loadCommand = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!loadCommand) {
    process.stderr.write(`switchboard-relay: unknown command "${name}"\n\n${USAGE}\n`);
    process.exitCode = exitCodeOf(new UsageError(name));
    return;
  }
  const command = await loadCommand();
  if (rest.includes('--help') || rest.includes('-h')) {
    print(command.usage);
    return;
  }
  try {
    await command.run(rest, print);
  } catch (error) {
    const usage = error instanceof UsageError ? `\n\n${command.usage}` : '';
    process.stderr.write(`switchboard-relay: ${(error as Error).message}${usage}\n`);
    process.exitCode = exitCodeOf(error);
  }
}

await main(process.argv.slice(2));
