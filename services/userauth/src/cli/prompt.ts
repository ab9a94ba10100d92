import { createInterface } from 'node:readline';
import { CliError } from './failure.js';

/** Refuses (exit 2) when stdin is not a terminal: a script must give --password. */
export function requireTerminal(): void {
  if (!process.stdin.isTTY)
    throw new CliError('usage', 'no password given: use --password, or run on a terminal to be prompted');
}

/**
 * Reads a password from the terminal without echoing it. Refuses (CliError) when stdin is not a
 * terminal, so scripts get a clear message instead of a hang.
 */
export function promptPassword(question: string): Promise<string> {
  requireTerminal();
  const input = process.stdin;
  return new Promise((resolve, reject) => {
    let value = '';
    input.setRawMode(true); // before the prompt shows, so nothing typed after it is ever echoed
    input.resume();
    process.stderr.write(question);
    input.setEncoding('utf8');
    const finish = (error?: CliError) => {
      input.setRawMode(false);
      input.pause();
      input.off('data', onData);
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return finish();
        if (ch === '\u0003') return finish(new CliError('usage', 'cancelled'));
        if (ch === '\u0004') return value === '' ? finish(new CliError('usage', 'cancelled')) : finish();
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else if (ch >= ' ') value += ch;
      }
    };
    input.on('data', onData);
  });
}

/**
 * Asks for a new password, checks it against the rules (`problem`, e.g. too short) before asking
 * again, then asks a second time; the two must match.
 */
export async function promptNewPassword(problem: (password: string) => string | undefined): Promise<string> {
  const first = await promptPassword('New password: ');
  const wrong = problem(first);
  if (wrong) throw new CliError('usage', `password: ${wrong}`);
  const second = await promptPassword('Repeat password: ');
  if (first !== second) throw new CliError('usage', 'the passwords do not match');
  return first;
}

/** Reads one line with echo from the terminal; Ctrl-C or Ctrl-D cancels (exit 2). */
export function promptLine(question: string): Promise<string> {
  if (!process.stdin.isTTY) throw new CliError('usage', 'no terminal to ask on');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  return new Promise<string>((resolve, reject) => {
    const cancel = () => reject(new CliError('usage', 'cancelled'));
    rl.once('SIGINT', cancel);
    rl.once('close', cancel); // Ctrl-D; after an answer the promise is already settled
    rl.question(question, resolve);
  }).finally(() => rl.close());
}
