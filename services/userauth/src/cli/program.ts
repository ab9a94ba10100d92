import { Command, CommanderError } from 'commander';
import { UserauthClient, type UserInput, type UserUpdate } from '../client/index.js';
import { CliError, describeFailure, EXIT } from './failure.js';
import { formatCheck, formatList, formatUser } from './output.js';
import { promptNewPassword, promptPassword } from './prompt.js';
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
    .option('--email <address>', 'e-mail address (repeatable)', collect);
}

function fieldsOf(flags: UserFlags): UserUpdate {
  const fields: UserUpdate = {};
  if (typeof flags.password === 'string') fields.password = flags.password;
  if (flags.provider !== undefined) fields.provider = flags.provider;
  if (flags.familyName !== undefined) fields.familyName = flags.familyName;
  if (flags.givenName !== undefined) fields.givenName = flags.givenName;
  if (flags.middleName !== undefined) fields.middleName = flags.middleName;
  if (flags.email !== undefined) fields.emails = flags.email;
  return fields;
}

/** A new user's input; a local user without --password gets a prompt (or a clear error). */
async function newUserInput(username: string, flags: UserFlags): Promise<UserInput> {
  const input: UserInput = { username, ...fieldsOf(flags) };
  if (input.password === undefined && (input.provider ?? 'local') === 'local')
    input.password = await promptNewPassword();
  return input;
}

/** Runs the CLI; resolves with the exit code (never throws). */
export async function runCli(argv: string[]): Promise<number> {
  let code: number = EXIT.ok;
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
      const user = await api.createUser(await newUserInput(username, flags));
      print(json, user, `created user ${user.username}\n${formatUser(user)}`);
    },
  );

  withUserOptions(
    program.command('find-or-create <username>').description('return the user, creating it if absent'),
    'value',
  ).action(async (username: string, flags: UserFlags, cmd: Command) => {
    const { api, json } = client(cmd);
    const existing = await api.findOrNull(username);
    const input = existing ? { username, ...fieldsOf(flags) } : await newUserInput(username, flags);
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
    program.command('update <username>').description('change fields of a user'),
    'optional',
  ).action(async (username: string, flags: UserFlags, cmd: Command) => {
    const { api, json } = client(cmd);
    const changes = fieldsOf(flags);
    if (flags.password === true) changes.password = await promptNewPassword();
    if (Object.keys(changes).length === 0)
      throw new CliError('usage', 'nothing to update: give at least one option');
    const user = await api.updateUser(username, changes);
    print(json, user, `updated user ${user.username}\n${formatUser(user)}`);
  });

  program
    .command('destroy <username>')
    .description('delete a user')
    .action(async (username: string, _flags: unknown, cmd: Command) => {
      const { api, json } = client(cmd);
      await api.destroy(username);
      print(json, { username, destroyed: true }, `destroyed user ${username}`);
    });

  program
    .command('password-check <username> [password]')
    .description('check a password (prompted without echo when omitted on a terminal); exit 1 when wrong')
    .option('--password <password>', 'the password to check')
    .action(async (username: string, password: string | undefined, flags: UserFlags, cmd: Command) => {
      const { api, json } = client(cmd);
      const given = password ?? (typeof flags.password === 'string' ? flags.password : undefined);
      const result = await api.passwordCheck(username, given ?? (await promptPassword('Password: ')));
      print(json, result, formatCheck(result));
      if (!result.check) code = EXIT.checkFailed;
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    const { line, code: failure } = describeFailure(err);
    process.stderr.write(`userauth: ${line}\n`);
    return failure;
  }
}
