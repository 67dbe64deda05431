// Reading plan files from disk (the loader itself is pure).
import { readFileSync } from 'node:fs';
import { constants } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { basename, join } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { Finding, Plan } from '../plans/types.js';

// The loader (and with it the schema validator, luxon, currencies) is imported
// on first use: with many files the main thread of `tierbook check` only waits
// for its workers and never loads it.
type LoadModule = typeof import('../plans/load.js');
let loadModule: LoadModule | undefined;
const loader = async (): Promise<LoadModule> => (loadModule ??= await import('../plans/load.js'));

export interface LoadedPlans {
  readonly plans: Map<string, Plan>;
  readonly findings: Finding[];
  readonly files: string[];
}

const isYaml = (name: string) => /\.ya?ml$/i.test(name);

/** A plan file is a few kilobytes; past this it is not one (and must not fill the server's memory). */
export const MAX_PLAN_FILE_BYTES = 4 * 1024 * 1024;

const skipped = (file: string, why: string): Finding => ({ file, line: 1, column: 1, path: '(file)', severity: 'warning', message: `skipped: ${why}` });

function kindOf(s: { isDirectory(): boolean; isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): string {
  if (s.isDirectory()) return 'a directory';
  if (s.isFIFO()) return 'a FIFO';
  if (s.isSocket()) return 'a socket';
  return s.isCharacterDevice() || s.isBlockDevice() ? 'a device' : 'not a file';
}

/**
 * A plan file's text, or why it was skipped. Opened non-blocking, so a FIFO
 * never waits for a writer; then only a regular file within the size bound is
 * read, asynchronously (the server keeps answering during a reload).
 */
async function readPlanFile(file: string): Promise<{ source: string } | { skip: Finding }> {
  let handle;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { skip: skipped(file, code === 'ENOENT' ? 'not a regular file (a dangling symbolic link)' : `cannot be read (${code ?? (err as Error).message})`) };
  }
  try {
    const s = await handle.stat();
    if (!s.isFile()) return { skip: skipped(file, `not a regular file (${kindOf(s)})`) };
    if (s.size > MAX_PLAN_FILE_BYTES) return { skip: skipped(file, `larger than ${MAX_PLAN_FILE_BYTES} bytes`) };
    return { source: await handle.readFile('utf8') };
  } catch (err) {
    return { skip: skipped(file, `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`) };
  } finally {
    await handle.close();
  }
}

/**
 * Every *.yaml in `dir`, keyed by partner id (serve, start, reload). Entries
 * that are not regular files (a dangling link, a directory, a FIFO) or are too
 * large are skipped with a warning finding naming them.
 */
export async function loadPlansDir(dir: string): Promise<LoadedPlans> {
  const names = (await readdir(dir)).filter(isYaml).sort();
  return loadFiles(names.map((n) => join(dir, n)), readPlanFile);
}

/** Files and directories as given to `tierbook check`. A missing path throws (a usage error). */
export async function loadPlanPaths(paths: readonly string[]): Promise<LoadedPlans> {
  const { files, skipped: skips } = await expandPaths(paths);
  const loaded = await loadFiles(files);
  return { ...loaded, findings: [...skips, ...loaded.findings] };
}

/**
 * The plan files the paths name: a directory's *.yaml that are regular files
 * within MAX_PLAN_FILE_BYTES (a FIFO would block the synchronous reads of
 * check's workers), the rest as skipped warnings.
 */
async function expandPaths(paths: readonly string[]): Promise<{ files: string[]; skipped: Finding[] }> {
  const files: string[] = [];
  const skips: Finding[] = [];
  const keep = async (file: string, named: boolean): Promise<void> => {
    let s;
    try {
      s = await stat(file);
    } catch (err) {
      if (named) throw err; // a path given on the command line that does not exist: a usage error
      skips.push(skipped(file, 'not a regular file (a dangling symbolic link)'));
      return;
    }
    if (!s.isFile()) skips.push(skipped(file, `not a regular file (${kindOf(s)})`));
    else if (s.size > MAX_PLAN_FILE_BYTES) skips.push(skipped(file, `larger than ${MAX_PLAN_FILE_BYTES} bytes`));
    else files.push(file);
  };
  for (const p of paths) {
    const s = await stat(p);
    if (s.isDirectory()) for (const n of (await readdir(p)).filter(isYaml).sort()) await keep(join(p, n), false);
    else await keep(p, true);
  }
  return { files, skipped: skips };
}

/** One file's own findings and, when it loaded, its partner id. */
interface FileResult {
  readonly findings: readonly Finding[];
  readonly partner: string | null;
}

/** The checks across files, in file order: file name = partner id, each partner once. */
class DirectoryChecks {
  readonly findings: Finding[] = [];
  private readonly owner = new Map<string, string>();

  /** Adds `file`'s findings and those of the directory checks; true when the plan is kept. */
  add(file: string, r: FileResult, source: () => string): boolean {
    for (const f of r.findings) this.findings.push(f);
    const id = r.partner;
    if (id === null) return false;
    const stem = basename(file).replace(/\.ya?ml$/i, '');
    if (stem !== id) {
      this.findings.push({ file, ...idPosition(source()), path: 'partner.id', severity: 'error', message: `the file ${basename(file)} declares partner "${id}"; name it ${id}.yaml or change partner.id to "${stem}"` });
      return false;
    }
    const prev = this.owner.get(id);
    if (prev !== undefined) {
      this.findings.push({ file, ...idPosition(source()), path: 'partner.id', severity: 'error', message: `partner "${id}" is already declared by ${prev}` });
      return false;
    }
    this.owner.set(id, file);
    return true;
  }
}

type Read = (file: string) => Promise<{ source: string } | { skip: Finding }>;
const readOrThrow: Read = async (file) => ({ source: readFileSync(file, 'utf8') });

async function loadFiles(files: string[], read: Read = readOrThrow): Promise<LoadedPlans> {
  const { loadPlan } = await loader();
  const plans = new Map<string, Plan>();
  const dir = new DirectoryChecks();
  for (const file of files) {
    const text = await read(file);
    if ('skip' in text) {
      dir.findings.push(text.skip);
      continue;
    }
    const { source } = text;
    const result = loadPlan(source, file);
    const plan = result.plan;
    if (dir.add(file, { findings: result.findings, partner: plan?.partner.id ?? null }, () => source)) plans.set(plan!.partner.id, plan!);
  }
  return { plans, findings: dir.findings, files };
}

/** Needs loader() done first. */
function checkFile(file: string): FileResult {
  // the plan is dropped: no hash
  const result = loadModule!.loadPlanWith(readFileSync(file, 'utf8'), file, { hash: false });
  return { findings: result.findings, partner: result.plan?.partner.id ?? null };
}

/** Below this many files one thread is faster than starting another. */
export const PARALLEL_MIN_FILES = 64;

/**
 * What `tierbook check` prints: the findings of every file, in file order,
 * without keeping the compiled plans. With many files, one worker thread per
 * core checks them while this thread waits; the output is the same as
 * checking them one by one (results are merged in file order, directory
 * checks run after).
 */
export async function checkPlanPaths(paths: readonly string[], opts: { threads?: number; minFiles?: number } = {}): Promise<{ findings: Finding[]; files: string[] }> {
  const { files, skipped: skips } = await expandPaths(paths);
  const threads = opts.threads ?? Math.min(availableParallelism(), 4);
  const results = threads > 1 && files.length >= (opts.minFiles ?? PARALLEL_MIN_FILES) ? await checkInThreads(files, threads) : (await loader(), files.map(checkFile));
  const dir = new DirectoryChecks();
  files.forEach((file, i) => dir.add(file, unwrap(results[i]), () => readFileSync(file, 'utf8')));
  return { findings: [...skips, ...dir.findings], files };
}

/**
 * Young generation of the worker threads started from now on, in MB per
 * semi-space. Checking a plan file allocates about 0.6 MB that dies with the
 * file; with V8's default (a few MB, grown only when much survives) a worker
 * ran a scavenge every ~15 files and spent a quarter of its time in them.
 * V8 reads the flags when a thread's heap is made, so this thread keeps its own.
 */
const WORKER_SEMI_SPACE_MB = 32;
let youngGenerationSet = false;

function bigYoungGeneration(): void {
  if (youngGenerationSet) return;
  youngGenerationSet = true;
  setFlagsFromString(`--min-semi-space-size=${WORKER_SEMI_SPACE_MB}`);
  setFlagsFromString(`--max-semi-space-size=${WORKER_SEMI_SPACE_MB}`);
}

interface WorkerInput {
  readonly tierbookCheck: true;
  readonly files: readonly string[];
  /** Next file index to take, shared by every thread (Atomics.add). */
  readonly next: Int32Array;
}

/** A file that could not be read, carried across threads and rethrown in file order. */
interface ReadFailure {
  readonly failed: { readonly message: string; readonly code?: string; readonly path?: string };
}
type ThreadResult = FileResult | ReadFailure;

/** Threads take the next unchecked file from a shared counter until none is left. */
function takeFiles(input: WorkerInput, done: (i: number, r: ThreadResult) => void): void {
  for (;;) {
    const i = Atomics.add(input.next, 0, 1);
    if (i >= input.files.length) return;
    let r: ThreadResult;
    try {
      r = checkFile(input.files[i]);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      r = { failed: { message: e.message, code: e.code, path: e.path } };
    }
    done(i, r);
  }
}

/** The result, or the read error rethrown as the serial check would have thrown it. */
function unwrap(r: ThreadResult): FileResult {
  if (!('failed' in r)) return r;
  throw Object.assign(new Error(r.failed.message), r.failed);
}

async function checkInThreads(files: string[], threads: number): Promise<ThreadResult[]> {
  const input: WorkerInput = { tierbookCheck: true, files, next: new Int32Array(new SharedArrayBuffer(4)) };
  const results: (ThreadResult | undefined)[] = new Array(files.length);
  bigYoungGeneration();
  // every core runs a worker (with the young generation above); this thread
  // only waits, then checks whatever a failed worker left (holes: Array.from, not map)
  const workers = Array.from({ length: threads }, () => {
    const w = new Worker(new URL(import.meta.url), { workerData: input });
    return new Promise<void>((resolve) => {
      w.on('message', (batch: [number, ThreadResult][]) => {
        for (const [i, r] of batch) results[i] = r;
      });
      // a worker that fails leaves its files unchecked: this thread checks them below
      w.on('error', () => resolve());
      w.on('exit', () => resolve());
    });
  });
  await Promise.all(workers);
  if (results.includes(undefined)) await loader();
  return Array.from(results, (r, i) => r ?? checkFile(files[i]));
}

if (!isMainThread && (workerData as Partial<WorkerInput> | null)?.tierbookCheck === true) {
  // a failed import rejects unhandled: the worker errors and the main thread checks its files
  void loader().then(() => {
    const batch: [number, ThreadResult][] = [];
    takeFiles(workerData as WorkerInput, (i, r) => batch.push([i, r]));
    parentPort!.postMessage(batch);
  });
}

/** Line and column of partner.id, found in the text (the plan holds no positions). */
function idPosition(source: string): { line: number; column: number } {
  const lines = source.split('\n');
  let inPartner = false;
  for (let i = 0; i < lines.length; i++) {
    if (/^partner\s*:/.test(lines[i])) {
      inPartner = true;
      const m = /\bid\s*:/.exec(lines[i]);
      if (m) return { line: i + 1, column: m.index + 1 };
      continue;
    }
    if (inPartner) {
      const m = /^(\s+)id\s*:/.exec(lines[i]);
      if (m) return { line: i + 1, column: m[1].length + 1 };
      if (/^\S/.test(lines[i])) break;
    }
  }
  return { line: 1, column: 1 };
}
