// The command line in this process (src/main's entry, as bin/tierbook.js runs
// it) with stdout and stderr captured: fast CLI tests without a child process
// (a child costs 2–3 CPU-seconds: tsx and the whole module graph). What a
// child would get fresh is set for the call and put back after it, also when
// main() throws: the environment (`env`, undefined unsets), standard input
// (`input`: a stream of that text, else an empty one, as spawnSync gives),
// the working directory (`cwd`), process.exitCode, the module caches
// (resetCaches), and stdout and stderr are not terminals (pipes, as a child's). A throw from main() ends the call as bin/tierbook.js ends the
// process: the stack on stderr, exit 1.
import { Readable } from 'node:stream';
import { main } from '../../src/main/index.js';
import { resetCaches } from '../../src/memo.js';

export interface RunResult {
  code: number;
  out: string;
  err: string;
}

export interface RunOptions {
  /** Variables set (a string) or unset (undefined) for the call. */
  env?: Record<string, string | undefined>;
  /** Standard input's text; without it, an empty input. */
  input?: string | Buffer;
  /** The working directory for the call (relative paths, the default ./data/…). */
  cwd?: string;
}

/** A stream's write() that keeps the text (and calls back, as a write does). */
function capture(keep: (s: string) => void): typeof process.stdout.write {
  return ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    keep(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    const cb = rest.find((a): a is () => void => typeof a === 'function');
    if (cb) queueMicrotask(cb);
    return true;
  }) as typeof process.stdout.write;
}

/** `tierbook …args` in this process. */
export function runMain(...args: string[]): Promise<RunResult> {
  return runMainWith({}, ...args);
}

/** `tierbook …args` in this process with `opts`'s environment, input and directory. */
export async function runMainWith(opts: RunOptions, ...args: string[]): Promise<RunResult> {
  let out = '';
  let err = '';
  const o = process.stdout.write;
  const e = process.stderr.write;
  const exitCode = process.exitCode;
  const env = Object.entries(opts.env ?? {}).map(([k, v]) => [k, process.env[k]] as const);
  const stdin = Object.getOwnPropertyDescriptor(process, 'stdin');
  if (!stdin?.configurable) throw new Error('process.stdin cannot be redefined');
  const cwd = process.cwd();
  const isTTY = [process.stdout, process.stderr].map((stream) => [stream, Object.getOwnPropertyDescriptor(stream, 'isTTY')] as const);
  const set = (k: string, v: string | undefined) => {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  };
  try {
    for (const [k, v] of Object.entries(opts.env ?? {})) set(k, v);
    const input = opts.input === undefined ? [] : [Buffer.from(opts.input)];
    Object.defineProperty(process, 'stdin', { value: Readable.from(input, { objectMode: false }), configurable: true, enumerable: true, writable: false });
    if (opts.cwd !== undefined) process.chdir(opts.cwd);
    process.exitCode = undefined;
    resetCaches();
    process.stdout.write = capture((s) => (out += s));
    process.stderr.write = capture((s) => (err += s));
    // pipes, as for a child of spawnSync: no progress bars even when the test runs in a terminal
    for (const stream of [process.stdout, process.stderr]) Object.defineProperty(stream, 'isTTY', { value: false, configurable: true, writable: true });
    let code: number;
    try {
      code = await main(args);
    } catch (thrown) {
      err += (thrown instanceof Error && thrown.stack ? thrown.stack : String(thrown)) + '\n';
      code = 1;
    }
    return { code, out, err };
  } finally {
    process.stdout.write = o;
    process.stderr.write = e;
    for (const [stream, tty] of isTTY) {
      if (tty) Object.defineProperty(stream, 'isTTY', tty);
      else delete (stream as { isTTY?: boolean }).isTTY;
    }
    process.exitCode = exitCode;
    process.chdir(cwd);
    Object.defineProperty(process, 'stdin', stdin);
    for (const [k, v] of env) set(k, v);
  }
}
