import { parseArgs } from 'node:util';

export interface BenchOptions {
  /** Notes seeded before the HTTP measurements. */
  notes: number;
  /** Comments seeded per note on the notes that get comments (see commentedNotes). */
  commentsPerNote: number;
  /** How many of the newest notes get comments (the note view reads one of them). */
  commentedNotes: number;
  /** Also measure the home page at `scaleNotes` notes and compare with `notes`. */
  scale: boolean;
  scaleNotes: number;
  /** Grants seeded into the mixed-visibility database of the sharing phase. */
  grants: number;
  /** Seconds per autocannon run. */
  duration: number;
  /** Seconds of warm-up before each timed autocannon run. */
  warmup: number;
  /** Concurrent HTTP connections per autocannon run. */
  connections: number;
  /** HTTP scenarios to run (default all). */
  scenarios: Set<Scenario>;
  /** Alternating baseline/app rounds per HTTP scenario; the best round of each counts. */
  rounds: number;
  /** Socket.IO clients per fan-out setup. */
  sockets: number;
  /** Edits per fan-out setup (each one timed until every client has it). */
  edits: number;
  /** bcrypt cost given to svc-userauth (and used by the baseline's login). */
  bcryptCost: number;
  /** Phases to run (default all): http, fanout, memory, coldstart, sharing, scale. */
  only: Set<Phase>;
  /** Extra environment for every svc-notes process (experiments: `--notes-env LOG_LEVEL=warn`). */
  notesEnv: Record<string, string>;
  /** Entry point of svc-notes (default its build); experiments point it at a patched copy. */
  notesEntry: string | undefined;
  /** A second svc-notes entry point measured in the same HTTP rounds (A/B: B vs A by CPU). */
  notesEntryB: string | undefined;
  /** Extra environment for notes-b only (A/B of a setting: `--notes-env-b LOG_LEVEL=warn`). */
  notesEnvB: Record<string, string> | undefined;
  /** Sizes of the search phase's databases. */
  searchNotes: number[];
  /** Writes V8 CPU profiles of the notes process(es) into this folder. */
  cpuProf: string | undefined;
  /** Where results go (default test/bench/results). */
  outDir: string | undefined;
}

export const PHASES = [
  'http',
  'fanout',
  'memory',
  'coldstart',
  'sharing',
  'history',
  'collab',
  'scale',
  'search',
] as const;
export type Phase = (typeof PHASES)[number];
export const SCENARIOS = ['home', 'home-anon', 'view', 'search', 'login'] as const;
export type Scenario = (typeof SCENARIOS)[number];

function nameSet<T extends string>(flag: string, value: string | undefined, known: readonly T[]): Set<T> {
  const set = new Set<T>();
  for (const part of (value ?? known.join(',')).split(',')) {
    const name = part.trim();
    if (!name) continue;
    if (!(known as readonly string[]).includes(name)) {
      throw new Error(`--${flag}: unknown name "${name}" (known: ${known.join(', ')})`);
    }
    set.add(name as T);
  }
  return set;
}

/** `--quick`: the HTTP measurements of a change in under two minutes (flags given as well win). */
const QUICK = [
  '--only',
  'http,sharing',
  '--scenarios',
  'home,home-anon,view,search',
  '--duration',
  '2',
  '--warmup',
  '1',
  '--rounds',
  '2',
];

export const USAGE = `pnpm bench [-- flags]
  --quick              the page scenarios only, short (http and sharing phases without login,
                       2 s runs after 1 s of warm-up, 2 rounds): under two minutes, for a change
  --notes N            notes seeded (default 10000)
  --scale              also compare home page 1 at --scale-notes vs --notes
  --scale-notes N      (default 100000)
  --grants N           grants in the sharing phase's mixed-visibility database (default 1000)
  --comments N         comments per commented note (default 20)
  --commented N        newest notes that get comments (default 200)
  --duration S         seconds per autocannon run (default 10)
  --warmup S           seconds of warm-up before each (default 2)
  --connections N      autocannon connections (default 20)
  --rounds N           alternating rounds: baseline/app per HTTP scenario (best counts),
                       fan-out setup blocks, scale sizes (default 2)
  --sockets N          socket.io clients per fan-out setup (default 1000)
  --edits N            timed edits per fan-out setup (default 40)
  --bcrypt-cost N      USERAUTH_BCRYPT_COST for the run (default 10)
  --only a,b           phases: http,fanout,memory,coldstart,sharing,history,collab,scale,search (scale needs --scale)
  --scenarios a,b      HTTP scenarios: home,home-anon,view,search,login (default all)
  --search-notes a,b   sizes of the search phase's databases (default 10000,100000)
  --notes-env K=V      extra environment for svc-notes (repeatable; for experiments)
  --notes-entry FILE   run this svc-notes entry point instead of its build (a patched copy)
  --notes-entry-b FILE A/B: also run this entry point (notes-b) in every HTTP round, on the same
                       databases and Redis, and report B against A
  --notes-env-b K=V    A/B: environment for notes-b only (repeatable; notes-b is the build
                       unless --notes-entry-b names another)
  --cpu-prof DIR       write CPU profiles of the svc-notes processes into DIR
  --out DIR            results folder (default test/bench/results)`;

function int(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new Error(`--${name} must be an integer from ${min} to ${max}, got "${value}"`);
  }
  return n;
}

function envPairs(list: string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of list) {
    const eq = pair.indexOf('=');
    if (eq < 1) throw new Error(`--notes-env must be NAME=VALUE, got "${pair}"`);
    env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return env;
}

/** `--quick` replaced by its flags, before the others so that those given win. */
function quick(args: string[]): string[] {
  return args.includes('--quick') ? [...QUICK, ...args.filter((a) => a !== '--quick')] : args;
}

export function parseBenchArgs(argv: string[]): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: quick(argv.filter((a) => a !== '--')),
    options: {
      notes: { type: 'string' },
      scale: { type: 'boolean', default: false },
      'scale-notes': { type: 'string' },
      'search-notes': { type: 'string' },
      grants: { type: 'string' },
      comments: { type: 'string' },
      commented: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      rounds: { type: 'string' },
      sockets: { type: 'string' },
      edits: { type: 'string' },
      'bcrypt-cost': { type: 'string' },
      only: { type: 'string' },
      scenarios: { type: 'string' },
      'cpu-prof': { type: 'string' },
      'notes-env': { type: 'string', multiple: true },
      'notes-entry': { type: 'string' },
      'notes-entry-b': { type: 'string' },
      'notes-env-b': { type: 'string', multiple: true },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const notes = int('notes', values.notes, 10_000, 1, 1_000_000);
  return {
    notes,
    commentsPerNote: int('comments', values.comments, 20, 0, 1000),
    commentedNotes: Math.min(notes, int('commented', values.commented, 200, 0, 1_000_000)),
    scale: values.scale ?? false,
    scaleNotes: int('scale-notes', values['scale-notes'], 100_000, notes, 1_000_000),
    grants: int('grants', values.grants, 1000, 0, 1_000_000),
    duration: int('duration', values.duration, 10, 1, 120),
    warmup: int('warmup', values.warmup, 2, 0, 60),
    connections: int('connections', values.connections, 20, 1, 500),
    rounds: int('rounds', values.rounds, 2, 1, 5),
    sockets: int('sockets', values.sockets, 1000, 2, 5000),
    edits: int('edits', values.edits, 40, 1, 200),
    bcryptCost: int('bcrypt-cost', values['bcrypt-cost'], 10, 4, 14),
    only: nameSet('only', values.only, PHASES),
    scenarios: nameSet('scenarios', values.scenarios, SCENARIOS),
    notesEnv: envPairs(values['notes-env'] ?? []),
    notesEntry: values['notes-entry'],
    notesEntryB: values['notes-entry-b'],
    notesEnvB: values['notes-env-b'] ? envPairs(values['notes-env-b']) : undefined,
    cpuProf: values['cpu-prof'],
    searchNotes: (values['search-notes'] ?? '10000,100000')
      .split(',')
      .map((v) => int('search-notes', v.trim(), 10_000, 100, 1_000_000)),
    outDir: values.out,
  };
}
