/**
 * One pino JSON record as one line for a person at a terminal:
 * `14:52:00.621 INFO  userauth listening url=http://127.0.0.1:5858 keys=["notes"]`.
 * An error's stack follows on indented lines. Only for terminals: pipes and files get the JSON.
 */

const LEVELS: Record<number, { label: string; color: string }> = {
  10: { label: 'TRACE', color: '90' },
  20: { label: 'DEBUG', color: '90' },
  30: { label: 'INFO ', color: '32' },
  40: { label: 'WARN ', color: '33' },
  50: { label: 'ERROR', color: '31' },
  60: { label: 'FATAL', color: '35' },
};

/** Keys shown in the line's fixed part, not repeated as key=value. */
const FIXED = new Set(['level', 'time', 'service', 'msg', 'pid', 'hostname']);

const paint = (color: boolean, code: string, text: string) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);

/** A value as it reads best: bare when it has no spaces or quotes, JSON otherwise. */
function shown(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  if (value === undefined) return 'undefined';
  return JSON.stringify(value);
}

/** The time of day (local) of an ISO or epoch-ms timestamp; the input itself when unreadable. */
function timeOfDay(time: unknown): string {
  const date = new Date(typeof time === 'number' || typeof time === 'string' ? time : Number.NaN);
  if (Number.isNaN(date.getTime())) return String(time ?? '');
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

const asObject = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};

/**
 * `GET /notes 200 12ms` from a request record: svc-notes nests req/res (pino-http), svc-userauth
 * logs method, path, status and ms flat. The keys it stands for are not repeated.
 */
function requestSummary(record: Record<string, unknown>): { text: string; keys: Set<string> } | undefined {
  const req = asObject(record.req);
  const nested = typeof req.method === 'string' && typeof req.path === 'string';
  const flat = typeof record.method === 'string' && typeof record.path === 'string';
  if (!nested && !flat) return undefined;
  const status = nested ? asObject(record.res).status : record.status;
  const ms = nested ? record.responseTime : record.ms;
  const words = nested ? [req.method, req.path] : [record.method, record.path];
  if (status !== undefined) words.push(status);
  if (typeof ms === 'number') words.push(`${Math.round(ms)}ms`);
  const keys = new Set(nested ? ['req', 'res', 'responseTime'] : ['method', 'path', 'status', 'ms']);
  if (nested && Object.keys(req).some((k) => !['id', 'method', 'path'].includes(k))) keys.delete('req');
  return { text: words.map(String).join(' '), keys };
}

/** Formats one JSON log line (without its newline); a line that is not a JSON object comes back as is. */
export function formatLogLine(json: string, color = false): string {
  let record: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(json);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return json;
    record = parsed as Record<string, unknown>;
  } catch {
    return json;
  }
  const level = LEVELS[Number(record.level)] ?? { label: String(record.level ?? '?').padEnd(5), color: '0' };
  const parts = [paint(color, '90', timeOfDay(record.time)), paint(color, level.color, level.label)];
  if (record.service !== undefined) parts.push(paint(color, '36', String(record.service)));
  if (record.msg !== undefined) parts.push(String(record.msg));
  const request = requestSummary(record);
  if (request) parts.push(request.text);
  let stack: string | undefined;
  for (const [key, value] of Object.entries(record)) {
    if (FIXED.has(key) || request?.keys.has(key) || (key === 'name' && value === record.service)) continue;
    if (key === 'err' && typeof value === 'object' && value !== null) {
      const err = value as { message?: unknown; stack?: unknown };
      parts.push(`err=${shown(err.message ?? value)}`);
      if (typeof err.stack === 'string') stack = err.stack;
      continue;
    }
    parts.push(`${paint(color, '90', `${key}=`)}${shown(value)}`);
  }
  const line = parts.join(' ');
  if (!stack) return line;
  const frames = stack
    .split('\n')
    .slice(1)
    .map((frame) => `    ${frame.trim()}`);
  return [line, ...frames].join('\n');
}

/** A pino destination that writes each record formatted to `out` (a terminal). */
export function prettyDestination(
  out: NodeJS.WritableStream,
  color: boolean,
): { write(chunk: string): boolean } {
  return {
    write(chunk: string): boolean {
      const lines = chunk.split('\n').filter((line) => line !== '');
      return out.write(`${lines.map((line) => formatLogLine(line, color)).join('\n')}\n`);
    },
  };
}
