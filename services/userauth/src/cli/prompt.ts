import { CliError } from './failure.js';

/**
 * Reads a password from the terminal without echoing it. Refuses (CliError) when stdin is not a
 * terminal, so scripts get a clear message instead of a hang.
 */
export function promptPassword(question: string): Promise<string> {
  const input = process.stdin;
  if (!input.isTTY)
    throw new CliError('usage', 'no password given: use --password, or run on a terminal to be prompted');
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

/** Asks twice for a new password; they must match. */
export async function promptNewPassword(): Promise<string> {
  const first = await promptPassword('New password: ');
  const second = await promptPassword('Repeat password: ');
  if (first !== second) throw new CliError('usage', 'the passwords do not match');
  return first;
}
