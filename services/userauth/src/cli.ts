#!/usr/bin/env node
import { runCli } from './cli/program.js';

/** The `userauth` admin CLI (DESIGN 4.4). */
runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
