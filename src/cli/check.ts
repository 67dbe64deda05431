// `tierbook check [paths…]` (SPEC §2.2, §7): compiler-style findings.
import { Option, type Command } from 'commander';
import type { Finding } from '../plans/types.js';
import { ERR } from '../errors.js';

export type Format = 'text' | 'json' | 'github';

/** One finding as a compiler line: `file:line:col: severity: path: message`. */
export function formatFinding(f: Finding): string {
  return `${f.file}:${f.line}:${f.column}: ${f.severity}: ${f.path ? f.path + ': ' : ''}${f.message}`;
}

export function formatFindings(findings: readonly Finding[], format: Format): string {
  if (format === 'json') return JSON.stringify(findings, null, 2) + '\n';
  if (format === 'github') {
    const esc = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
    const prop = (s: string) => esc(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
    return findings
      .map((f) => `::${f.severity} file=${prop(f.file)},line=${f.line},col=${f.column}::${esc(`${f.path}: ${f.message}`)}\n`)
      .join('');
  }
  return findings.map((f) => formatFinding(f) + '\n').join('');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function register(program: Command): void {
  program
    .command('check')
    .description('check plan files like a compiler (default: the plans directory)')
    .argument('[paths...]', 'plan files or directories')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'github']).default('text'))
    .option('--strict', 'warnings fail too', false)
    .option('--plans <dir>', 'plans directory (env TIERBOOK_PLANS)')
    .action(async (paths: string[], opts: { format: Format; strict: boolean; plans?: string }) => {
      const { checkPlanPaths } = await import('./plan-files.js');
      const targets = paths.length > 0 ? paths : [opts.plans ?? process.env.TIERBOOK_PLANS ?? './plans'];
      let loaded;
      try {
        loaded = await checkPlanPaths(targets);
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        const def = e.code === 'ENOENT' ? ERR.NO_SUCH_FILE : ERR.USAGE;
        process.stderr.write(`tierbook check: ${def.code}: ${e.code === 'ENOENT' ? `no such file or directory: ${e.path ?? targets.join(' ')}` : e.message}\n`);
        process.exitCode = def.exit;
        return;
      }
      const { findings, files } = loaded;
      process.stdout.write(formatFindings(findings, opts.format));
      const errors = findings.filter((f) => f.severity === 'error').length;
      const warnings = findings.length - errors;
      process.stderr.write(`${plural(files.length, 'plan file')} checked: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}\n`);
      process.exitCode = errors > 0 || (opts.strict && warnings > 0) ? 1 : 0;
    });
}
