import { Command, CommanderError } from 'commander';
import { UserauthClient, type UserInput, type UserUpdate } from '../client/index.js';
import { passwordProblem } from '../users/password-rules.js';
import { CliError, describeFailure, EXIT } from './failure.js';
import { formatCheck, formatList, formatUser } from './output.js';
import { promptLine, promptNewPassword, promptPassword, requireTerminal } from './prompt.js';
import { DEFAULT_URL, EMBEDDED_KEY_FILE, resolveConnection } from './settings.js';

interface GlobalFlags {
  url?: string;
  apiKey?: string;
  json?: boolean;
}

interface UserFlags {
  password?: string | true;
  provider?: string;
  familyName?: string;
  givenName?: string;
  middleName?: string;
  email?: string[];
  addEmail?: string[];
  removeEmail?: string[];
}

const EXIT_HELP = `
Connection: --url, else USERAUTH_URL, else ${DEFAULT_URL}. API key (name:key): --api-key, else
USERAUTH_API_KEY or USERAUTH_API_KEY_FILE, else the first key in ./${EMBEDDED_KEY_FILE} (written by pnpm start).

Exit codes: 0 ok, 1 password-check: wrong password, 2 usage or invalid input, 3 not found,
4 conflict (exists), 5 API key refused, 6 service unreachable, 7 other service error.`;

const collect = (value: string, previous: string[] = []) => [...previous, value];

function withUserOptions(cmd: Command, password: 'value' | 'optional'): Command {
  return cmd
    .option(
      password === 'value' ? '--password <password>' : '--password [password]',
      password === 'value'
        ? 'password or bcrypt hash (prompted without echo when omitted on a terminal)'
        : 'new password or bcrypt hash (prompted without echo when given without a value)',
    )
    .option('--provider <provider>', 'identity provider (default: local)')
    .option('--family-name <name>', 'family name')
    .option('--given-name <name>', 'given name')
    .option('--middle-name <name>', 'middle name')
    .option(
      '--email <address>',
      password === 'value'
        ? 'e-mail address (repeatable)'
        : 'e-mail address (repeatable); replaces ALL addresses of the user',
      collect,
    );
}

function fieldsOf(flags: UserFlags): UserUpdate {
  const fields: UserUpdate = {};
  if (typeof flags.password === 'string') fields.password = flags.password;
  if (flags.provider !== undefined) fields.provider = flags.provider;
  if (flags.familyName !== undefined) fields.familyName = flags.familyName;
  if (flags.givenName !== undefined) fields.givenName = flags.givenName;
  if (flags.middleName !== undefined) fields.middleName = flags.middleName;
  if (flags.email !== undefined) fields.emails = flags.email;
  if (flags.addEmail !== undefined) fields.addEmails = flags.addEmail;
  if (flags.removeEmail !== undefined) fields.removeEmails = flags.removeEmail;
  return fields;
}

/**
 * The service's own input rules (zod), loaded only before a prompt: a bad --email is reported
 * before the password is typed, and scripts, which give --password, start without them.
 */
const inputRules = () => import('../users/user-input.js');

/** A new user's input; a local user without --password gets a prompt (or a clear error). */
async function newUserInput(username: string, fields: UserUpdate): Promise<UserInput> {
  const input: UserInput = { username, ...fields };
  if (input.password === undefined && (input.provider ?? 'local') === 'local') {
    requireTerminal();
    (await inputRules()).parseNewUser(input);
    input.password = await promptNewPassword(passwordProblem);
  }
  return input;
}

/** Runs the CLI; resolves with the exit code (never throws). */
export async function runCli(argv: string[]): Promise<number> {
  let code: number = EXIT.ok;
  /** The fields of the options typed, to name an input error by those options. */
  let sent: UserUpdate = {};
  const typed = (flags: UserFlags) => {
    sent = fieldsOf(flags);
    return sent;
  };
  const print = (json: boolean | undefined, value: unknown, text: string) => {
    process.stdout.write(`${json ? JSON.stringify(value, null, 2) : text}\n`);
  };
  const client = (cmd: Command) => {
    const flags = cmd.optsWithGlobals<GlobalFlags>();
    const connection = resolveConnection(flags);
    return { api: new UserauthClient({ ...connection, timeoutMs: 15_000 }), json: flags.json };
  };

  const program = new Command('userauth')
    .description('Admin tool of the user account service (svc-userauth).')
    .option('--url <url>', `service URL (default: USERAUTH_URL or ${DEFAULT_URL})`)
    .option('--api-key <name:key>', 'API key (default: USERAUTH_API_KEY[_FILE] or the embedded key file)')
    .option('--json', 'print JSON instead of readable text')
    .addHelpText('after', EXIT_HELP)
    .showHelpAfterError('(userauth --help lists the commands and options)')
    .exitOverride();

  withUserOptions(program.command('add <username>').description('create a user'), 'value').action(
    async (username: string, flags: UserFlags, cmd: Command) => {
      const { api, json } = client(cmd);
      const user = await api.createUser(await newUserInput(username, typed(flags)));
      print(json, user, `created user ${user.username}\n${formatUser(user)}`);
    },
  );

  withUserOptions(
    program.command('find-or-create <username>').description('return the user, creating it if absent'),
    'value',
  ).action(async (username: string, flags: UserFlags, cmd: Command) => {
    const { api, json } = client(cmd);
    const existing = await api.findOrNull(username);
    const fields = typed(flags);
    const input = existing ? { username, ...fields } : await newUserInput(username, fields);
    const user = await api.findOrCreate(input);
    print(json, user, `${existing ? 'found' : 'created'} user ${user.username}\n${formatUser(user)}`);
  });

  program
    .command('find <username>')
    .description('show one user')
    .action(async (username: string, _flags: unknown, cmd: Command) => {
      const { api, json } = client(cmd);
      const user = await api.find(username);
      print(json, user, formatUser(user));
    });

  program
    .command('list')
    .description('list all users')
    .action(async (_flags: unknown, cmd: Command) => {
      const { api, json } = client(cmd);
      const users = await api.list();
      print(json, users, formatList(users));
    });

  withUserOptions(
    program
      .command('update <username>')
      .description(
        'change fields of a user (--email replaces every address; --add-email / --remove-email change the list)',
      ),
    'optional',
  )
    .option('--add-email <address>', 'add an e-mail address, keeping the others (repeatable)', collect)
    .option('--remove-email <address>', 'remove one e-mail address (repeatable)', collect)
    .action(async (username: string, flags: UserFlags, cmd: Command) => {
      const { api, json } = client(cmd);
      const changes = typed(flags);
      if (changes.emails !== undefined && (changes.addEmails || changes.removeEmails))
        throw new CliError(
          'usage',
          '--email replaces every address: use it without --add-email and --remove-email',
        );
      if (Object.keys(changes).length === 0 && flags.password !== true)
        throw new CliError('usage', 'nothing to update: give at least one option');
      if (flags.password === true) {
        requireTerminal();
        (await inputRules()).parseChanges(changes, username);
        await api.find(username); // not found before the password is typed twice
        changes.password = await promptNewPassword(passwordProblem);
      }
      const user = await api.updateUser(username, changes);
      print(json, user, `updated user ${user.username}\n${formatUser(user)}`);
    });

  program
    .command('set-password <username>')
    .description('set the password of a user (prompted twice without echo on a terminal)')
    .option('--password <password>', 'the new password or a bcrypt hash (for scripts)')
    .action(async (username: string, flags: { password?: string }, cmd: Command) => {
      const { api, json } = client(cmd);
      let password = flags.password;
      if (password === undefined) {
        requireTerminal();
        await api.find(username); // not found before the password is typed twice
        password = await promptNewPassword(passwordProblem);
      } else {
        const problem = passwordProblem(password);
        if (problem) throw new CliError('usage', `invalid input: --password: ${problem}`);
      }
      const user = await api.updateUser(username, { password });
      print(json, user, `password set for ${user.username}`);
    });

  program
    .command('destroy <username>')
    .description('delete a user (asks to type the username on a terminal)')
    .option('--yes', 'do not ask (for scripts; required without a terminal)')
    .action(async (username: string, flags: { yes?: boolean }, cmd: Command) => {
      const { api, json } = client(cmd);
      if (!flags.yes) {
        if (!process.stdin.isTTY)
          throw new CliError(
            'usage',
            `not destroying ${username} without confirmation: pass --yes (no terminal to ask on)`,
          );
        const user = await api.find(username);
        process.stderr.write(`${formatUser(user)}\n`);
        const answer = await promptLine(`Destroy user ${username}? Type the username to confirm: `);
        if (answer.trim() !== username)
          throw new CliError('usage', `not confirmed: ${username} was not destroyed`);
      }
      await api.destroy(username);
      print(json, { username, destroyed: true }, `destroyed user ${username}`);
    });

  program
    .command('reset-mfa <username>')
    .description('turn off the second factor of a user who lost it (they sign in with the password alone)')
    .action(async (username: string, _flags: unknown, cmd: Command) => {
      const { api, json } = client(cmd);
      const { removed } = await api.mfaDisable(username);
      print(
        json,
        { username, reset: removed },
        removed
          ? `second factor of ${username} turned off: the next login asks for the password only`
          : `${username} had no second factor: nothing changed`,
      );
    });

  program
    .command('password-check <username> [password]')
    .description(
      'check a password (prompted without echo when omitted on a terminal); exit 1 when wrong, 3 when there is no such user',
    )
    .option('--password <password>', 'the password to check')
    .action(async (username: string, password: string | undefined, flags: UserFlags, cmd: Command) => {
      const { api, json } = client(cmd);
      let given = password ?? (typeof flags.password === 'string' ? flags.password : undefined);
      if (given === undefined) {
        requireTerminal();
        await api.find(username); // not found before the password is typed
        given = await promptPassword('Password: ');
      }
      const result = await api.passwordCheck(username, given);
      if (!result.check) {
        // The REST answer is the same for an unknown user and a wrong password (svc-notes shows
        // it to anyone); this admin tool holds the key, so it asks.
        const user = await api.findOrNull(username);
        if (!user) throw new CliError('notFound', `not found: no user ${username}`);
        if (user.provider !== 'local') result.message = `no password (provider ${user.provider})`;
      }
      print(json, result, formatCheck(result));
      if (!result.check) code = EXIT.checkFailed;
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    const { line, code: failure } = describeFailure(err, sent);
    process.stderr.write(`userauth: ${line}\n`);
    return failure;
  }
}
