// One `pnpm start` per data folder: <data>/start.lock holds the running one's pid and URL.
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Whether pid is a live process that looks like a start script (where /proc tells). */
function isRunning(pid) {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return err.code === 'EPERM';
  }
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('start');
  } catch {
    return true; // no /proc (macOS): a live pid is taken as the holder
  }
}

function readHolder(file) {
  try {
    const holder = JSON.parse(readFileSync(file, 'utf8'));
    return Number.isInteger(holder.pid) ? holder : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes the folder's lock for this process: `{ release }`, or `{ holder }` ({pid, url}) when another
 * start runs from the same folder. A lock left by a process that is gone is taken over.
 */
export function takeLock(dir, url) {
  const file = join(dir, 'start.lock');
  const content = `${JSON.stringify({ pid: process.pid, url })}\n`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, content, { flag: 'wx', mode: 0o600 });
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          if (readHolder(file)?.pid === process.pid) unlinkSync(file);
        },
      };
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      const holder = readHolder(file);
      if (holder && holder.pid !== process.pid && isRunning(holder.pid)) return { holder };
      try {
        unlinkSync(file); // stale: its process is gone
      } catch {
        // another start removed it first; try again
      }
    }
  }
  return { holder: readHolder(file) ?? { pid: undefined, url: undefined } };
}
