import { readFileSync } from 'node:fs';

/** The soft "Max open files" limit of this process (inherited by the services), or 'unknown'. */
export function openFilesLimit(): string {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    return line?.split(/\s{2,}/)[1]?.trim() ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Throws a clear message when `sockets` client sockets (plus some margin) cannot be opened. */
export function checkOpenFiles(sockets: number): void {
  const limit = Number(openFilesLimit());
  const need = sockets + 500;
  if (Number.isFinite(limit) && limit < need) {
    throw new Error(
      `the open files limit is ${limit}, but ${sockets} sockets need about ${need}: run "ulimit -n ${need * 2}" in this shell first (or lower --sockets)`,
    );
  }
}
