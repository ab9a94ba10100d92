// The command that adds the first user, for the ports and data folder this start uses. The CLI
// targets http://127.0.0.1:5858 and ./data/userauth-api-keys unless told otherwise; it asks for the
// password itself (a --password on the command line would be echoed by pnpm and kept in history).

export const CLI_DEFAULT_PORT = 5858;

/** The value as a POSIX shell word. */
export function shellWord(value) {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`;
}

/** e.g. `pnpm userauth add <username>`, with --url and the key file only when they differ. */
export function addUserCommand({ userauthPort, userauthUrl, keysFile, defaultDataDir }) {
  const prefix = defaultDataDir ? '' : `USERAUTH_API_KEY_FILE=${shellWord(keysFile)} `;
  const url = userauthPort === CLI_DEFAULT_PORT ? '' : ` --url ${userauthUrl}`;
  return `${prefix}pnpm userauth add <username>${url}`;
}
