// Plan files as git holds them: at a revision (`git ls-tree`, `git show`) or in
// the working tree. git runs through execFile with an argument list, never a
// shell, so a revision or path cannot inject a command.
import { execFile } from 'node:child_process';
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { ERR, type TierbookError } from '../errors.js';

/** Not a repository, a bad revision, a path outside the repository: usage errors (exit 2) under the code GIT. */
const gitError = (detail: string): TierbookError<'GIT'> => ERR.GIT({ detail });

export interface PlanSource {
  /** Repository-relative path with forward slashes, e.g. `plans/contoso.yaml`. */
  readonly path: string;
  readonly source: string;
}

function git(cwd: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) reject(Object.assign(err, { stderr: String(stderr) }));
      else resolve(stdout);
    });
  });
}

/** Every commit on any branch that touched `target` (a path from the repository root), newest first. */
export async function revisionsOf(root: string, target: string): Promise<string[]> {
  return (await git(root, ['log', '--all', '--format=%H', '--', target])).split('\n').filter(Boolean);
}

/** The top directory of the repository containing `cwd` (real path). */
export async function repoRoot(cwd: string): Promise<string> {
  try {
    return await realpath((await git(cwd, ['rev-parse', '--show-toplevel'])).trim());
  } catch {
    throw gitError(`not inside a git repository: ${cwd}`);
  }
}

/** The commit id a revision names; a GIT error when it names none. */
export async function resolveRevision(root: string, rev: string): Promise<string> {
  // `--end-of-options` keeps a revision such as `--output=x` from being read as an option
  if (rev.startsWith('-')) throw gitError(`bad revision: ${rev}`);
  try {
    return (await git(root, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`])).trim();
  } catch {
    throw gitError(`bad revision: ${rev} (not a commit in ${root})`);
  }
}

/**
 * Repository-relative targets for the paths given on the command line
 * (relative to `cwd`). A target outside the repository is a usage error.
 */
export async function targetsOf(root: string, cwd: string, paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    const abs = path.resolve(cwd, p);
    // resolve symlinks of the existing part (e.g. /tmp on macOS) so it lines up with the real root
    let real = abs;
    let rest = '';
    for (;;) {
      try {
        real = path.join(await realpath(real), rest);
        break;
      } catch {
        const parent = path.dirname(real);
        if (parent === real) break;
        rest = path.join(path.basename(real), rest);
        real = parent;
      }
    }
    const rel = path.relative(root, real);
    if (rel.startsWith('..') || path.isAbsolute(rel)) throw gitError(`path outside the repository: ${p}`);
    out.push(rel.split(path.sep).join('/'));
  }
  return out;
}

const isPlanFile = (name: string) => name.endsWith('.yaml');

/**
 * Which plan files a target denotes among `files` (repository-relative): the
 * file itself, or the `*.yaml` directly inside a directory, as `check` reads a
 * directory.
 */
function select(target: string, files: readonly string[]): string[] {
  if (target === '' || target === '.') return files.filter((f) => !f.includes('/') && isPlanFile(f));
  if (files.includes(target)) return [target];
  const prefix = `${target.replace(/\/+$/, '')}/`;
  return files.filter((f) => f.startsWith(prefix) && !f.slice(prefix.length).includes('/') && isPlanFile(f));
}

/** Plan files under the targets at a commit. */
export async function plansAtRevision(root: string, commit: string, targets: readonly string[]): Promise<PlanSource[]> {
  const listed = await git(root, ['ls-tree', '-r', '-z', '--name-only', '--full-tree', commit, '--', ...targets.map((t) => (t === '' ? '.' : t))]);
  const files = listed.split('\0').filter(Boolean);
  const chosen = unique(targets.flatMap((t) => select(t, files)));
  const out: PlanSource[] = [];
  for (const f of chosen) out.push({ path: f, source: await git(root, ['show', `${commit}:${f}`]) });
  return out;
}

/** Plan files under the targets in the working tree (what `check` would read). */
export async function plansInWorkingTree(root: string, targets: readonly string[]): Promise<PlanSource[]> {
  const chosen: string[] = [];
  for (const t of targets) {
    const abs = path.join(root, t);
    const st = await stat(abs).catch(() => null);
    if (!st) continue;
    if (st.isDirectory()) {
      const names = (await readdir(abs)).filter(isPlanFile).sort();
      for (const n of names) {
        if ((await stat(path.join(abs, n))).isFile()) chosen.push(t === '' ? n : `${t.replace(/\/+$/, '')}/${n}`);
      }
    } else chosen.push(t);
  }
  const out: PlanSource[] = [];
  for (const f of unique(chosen)) out.push({ path: f, source: await readFile(path.join(root, f), 'utf8') });
  return out;
}

function unique(xs: readonly string[]): string[] {
  return [...new Set(xs)].sort();
}
