import { readFile } from 'node:fs/promises';

/** Resident set size of a process in bytes (Linux /proc), or NaN when unreadable. */
export async function rssBytes(pid: number): Promise<number> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
    return match ? Number(match[1]) * 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

export const MB = 1024 * 1024;
