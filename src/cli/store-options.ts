// Options shared by the commands that open the store or read plans (SPEC §7),
// and the helpers they share. Light: nothing heavy is imported here.
import { statSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import type { Plan, Finding } from '../plans/types.js';

export const defaultDb = (): string => process.env.TIERBOOK_DB || './data/tierbook.db';
export const defaultPlans = (): string => process.env.TIERBOOK_PLANS || './plans';

export function withDb(cmd: Command): Command {
  return cmd.option('--db <file>', 'SQLite database file (env TIERBOOK_DB)', defaultDb());
}

export function withPlans(cmd: Command): Command {
  return cmd.option('--plans <dir>', 'directory of plan files (env TIERBOOK_PLANS)', defaultPlans());
}

/** A usage error: message on stderr, exit status 2 (main maps CommanderError to 2). */
export function usage(command: string, message: string): never {
  process.stderr.write(`tierbook ${command}: ${message}\n`);
  throw new CommanderError(2, 'tierbook.usage', message);
}

export interface LoadedPlanDir {
  readonly plans: Map<string, Plan>;
  readonly findings: readonly Finding[];
}

/**
 * Loads every *.yaml / *.yml plan of a directory (the plans that compile, and
 * all findings); a missing directory is a usage error.
 */
export async function loadPlanDir(command: string, dir: string): Promise<LoadedPlanDir> {
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    // reported below
  }
  if (!isDir) usage(command, `plans directory ${dir} not found (use --plans DIR or TIERBOOK_PLANS)`);
  const { loadPlansDir } = await import('./plan-files.js');
  const { plans, findings } = await loadPlansDir(dir);
  return { plans, findings };
}

