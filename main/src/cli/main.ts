#!/usr/bin/env node
import { cliEnvironmentFromProcess } from './cli-environment.js';
import { runCli } from './run-cli.js';

process.exitCode = await runCli(process.argv.slice(2), cliEnvironmentFromProcess());
