#!/usr/bin/env node
// Embedded mode (`pnpm start`): both services as local processes with SQLite files and generated
// secrets in one data folder. Nothing else to install.
//
// 1. one start per data folder (NOTES_DATA_DIR, default ./data): a second one says so and exits 1;
// 2. checks that PORT (svc-notes on HOST, default 3000 on 127.0.0.1), USERAUTH_PORT (svc-userauth,
//    always on 127.0.0.1, default 5858) and the metrics ports when set are free: a busy one is one
//    line and exit 1;
// 3. compiles what changed since the last build (start/build.mjs: `tsc -b`, skipped when nothing did);
// 4. on first run writes <data>/userauth-api-keys (`notes:<key>`), <data>/session-secret and
//    <data>/userauth-mfa-key (0600);
// 5. starts both services, waits for both /readyz, prints the command that adds a first user when
//    there is none, then "Notes is running at <url>"; if one fails, stops the other and exits 1;
// 6. Ctrl-C/SIGTERM: stops both gracefully and exits 0 once they have ended. package.json runs this
//    with `exec`, so no shell sits between pnpm and this process (a shell killed by Ctrl-C would make
//    pnpm report ELIFECYCLE).
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildChanged } from './start/build.mjs';
import { dataDir, prepareDataDir } from './start/data-dir.mjs';
import { takeLock } from './start/lock.mjs';
import { addUserCommand, CLI_DEFAULT_PORT } from './start/next-step.mjs';
import { parsePort, portProblem } from './start/ports.mjs';
import { createSupervisor } from './start/supervise.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

const say = (line) => process.stdout.write(`[start] ${line}\n`);
const report = (line) => process.stderr.write(`[start] ${line}\n`);
const fail = (line) => {
  report(line);
  process.exit(1);
};

const USERAUTH_MAIN = 'services/userauth/dist/main.js';
const NOTES_MAIN = 'services/notes/dist/main.js';
const USERAUTH_HOST = '127.0.0.1';
const HOST = process.env.HOST || '127.0.0.1';

const notesPort = parsePort(process.env.PORT, 3000, 'PORT');
const userauthPort = parsePort(process.env.USERAUTH_PORT, CLI_DEFAULT_PORT, 'USERAUTH_PORT');
for (const parsed of [notesPort, userauthPort]) if (parsed.problem) fail(parsed.problem);

/** The URL to open and to probe: a wildcard address is reached on loopback, IPv6 in brackets. */
const shownHost = HOST === '0.0.0.0' ? '127.0.0.1' : HOST === '::' ? '::1' : HOST;
const NOTES_URL = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${notesPort.port}`;
const USERAUTH_URL = `http://${USERAUTH_HOST}:${userauthPort.port}`;
const data = dataDir(process.env, root);

// 1. One start per data folder.
let lock;
try {
  mkdirSync(data.absolute, { recursive: true, mode: 0o700 });
  lock = takeLock(data.absolute, NOTES_URL);
} catch (err) {
  fail(
    `cannot use the data folder ${data.shown} (${err.code ?? err.message}): set NOTES_DATA_DIR to a writable folder`,
  );
}
if (lock.holder)
  fail(
    `Notes is already running from ${data.shown} (pid ${lock.holder.pid ?? '?'}, ${lock.holder.url ?? 'unknown URL'}): ` +
      'stop it first (Ctrl-C where it runs), or give this one its own NOTES_DATA_DIR, PORT and USERAUTH_PORT',
  );
process.on('exit', () => lock.release());

// Ctrl-C reaches every process of the terminal's group: the build or the services stop on their own
// too; this process waits for them and exits 0. pnpm forwards a second SIGINT: ignored.
let stopping = false;
let building;
let supervisor;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    say('stopping…');
    if (building) building.kill(signal);
    else if (supervisor) supervisor.stopAll();
    else process.exit(0);
  });
}

// 2. Ports: each its own, each free (the metrics ports only when set: they are off by default).
const ports = [
  ['USERAUTH_PORT', userauthPort.port, USERAUTH_HOST],
  ['PORT', notesPort.port, HOST],
];
for (const [variable, host] of [
  ['USERAUTH_METRICS_PORT', USERAUTH_HOST],
  ['NOTES_METRICS_PORT', HOST],
]) {
  const metrics = parsePort(process.env[variable], undefined, variable);
  if (metrics.problem) fail(metrics.problem);
  if (metrics.port !== undefined) ports.push([variable, metrics.port, host]);
}
for (const [i, [variable, port]] of ports.entries()) {
  const same = ports.find(([, other], j) => j < i && other === port);
  if (same) fail(`${same[0]} and ${variable} are both ${port}: give them different ports`);
}
for (const [variable, port, host] of ports) {
  const problem = await portProblem(port, host, variable);
  if (problem) fail(problem);
}

// 3. Build what changed.
const build = buildChanged(root, () => say('compiling what changed since the last build…'));
building = build.child;
const built = await build.done;
building = undefined;
if (stopping) process.exit(0);
if (built.missing) fail('TypeScript is not installed: run pnpm install first');
if (built.code !== 0) fail('the build failed (errors above): fix them and run pnpm start again');
for (const main of [USERAUTH_MAIN, NOTES_MAIN])
  if (!existsSync(main)) fail(`${main} is missing: remove its dist folder and run pnpm start again`);

// 4. Secrets.
let files;
try {
  files = prepareDataDir(data.absolute, say);
} catch (err) {
  fail(err.message);
}

/** A child's environment: ours plus `extra`, minus the variables that `extra` sets by file. */
function childEnv(extra, drop) {
  const env = { ...process.env, ...extra };
  for (const name of drop) delete env[name];
  return env;
}

const sqliteUrl = (file) => `sqlite:${data.isDefault ? `./data/${file}` : join(data.absolute, file)}`;

// 5. Start both, wait until both are ready.
supervisor = createSupervisor({
  report,
  onAllExited: (ok) => {
    if (ok && stopping) say('stopped');
    process.exit(ok && stopping ? 0 : 1);
  },
});
if (stopping) supervisor.stopAll();
const userauth = supervisor.start(
  'userauth',
  USERAUTH_MAIN,
  childEnv(
    {
      HOST: USERAUTH_HOST,
      PORT: String(userauthPort.port),
      USERAUTH_API_KEYS_FILE: files.keysFile,
      USERAUTH_MFA_KEY_FILE: files.mfaKeyFile,
      USERAUTH_DB_URL: process.env.USERAUTH_DB_URL || sqliteUrl('userauth.sqlite'),
    },
    ['USERAUTH_API_KEYS', 'USERAUTH_MFA_KEY'],
  ),
);
const notes = supervisor.start(
  'notes',
  NOTES_MAIN,
  childEnv(
    {
      HOST,
      PORT: String(notesPort.port),
      USERAUTH_URL,
      USERAUTH_API_KEY_FILE: files.notesKeyFile,
      NOTES_SESSION_SECRET_FILE: files.sessionFile,
      NOTES_DB_URL: process.env.NOTES_DB_URL || sqliteUrl('notes.sqlite'),
    },
    ['USERAUTH_API_KEY', 'NOTES_SESSION_SECRET'],
  ),
);
const problems = await Promise.all([
  supervisor.waitReady('userauth', userauth, `${USERAUTH_URL}/readyz`, 60_000),
  supervisor.waitReady('notes', notes, `${NOTES_URL}/readyz`, 60_000),
]);
const problem = problems.find((p) => p !== undefined && p !== 'stopping');
if (problem) {
  report(`${problem}; stopping`);
  supervisor.stopAll();
} else if (!supervisor.stopping) {
  // 6. The next step, then the ready line.
  try {
    const res = await fetch(`${USERAUTH_URL}/list`, {
      headers: { authorization: `Basic ${Buffer.from(files.apiKey).toString('base64')}` },
      signal: AbortSignal.timeout(5000),
    });
    const users = res.ok ? await res.json() : undefined;
    if (Array.isArray(users) && users.length === 0) {
      say('no users yet; add the first one (it asks for the password):');
      say(
        `  ${addUserCommand({
          userauthPort: userauthPort.port,
          userauthUrl: USERAUTH_URL,
          keysFile: files.keysFile,
          defaultDataDir: data.isDefault,
        })}`,
      );
    }
  } catch {
    // the list is a convenience; the services report their own problems
  }
  if (!supervisor.stopping) say(`Notes is running at ${NOTES_URL}  (Ctrl-C stops it)`);
}
