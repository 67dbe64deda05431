// Handlebars environments for the documents. Two environments, one per output
// language, so that `{{ }}` always escapes for the format being written:
// HTML-escaping in the HTML one, Markdown-escaping in the Markdown one. User
// text is never concatenated into markup; it only ever reaches output through
// `{{ }}`. Templates are read and compiled on first use and cached for the
// life of the process.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import type { Formatter } from './format.js';
import type { MessageKey } from './i18n.js';

/** templates/ at the project root: ../../templates from src/render and from dist/render alike. */
export const TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));

export type OutputKind = 'html' | 'md';

/**
 * Markdown escaping of one value: backslash before every character that could
 * start markup inline, line breaks folded (a value must not break out of a
 * table row or list item), and line-start markers (-, +, =, "1.") neutralised.
 */
export function escapeMarkdown(value: unknown): string {
  if (value == null) return '';
  const s = String(value)
    .replace(/\r\n|\r|\n/g, ' ')
    .replace(/[\\`*_[\]<>|~#!&{}]/g, '\\$&');
  return s.replace(/^([-+=])/, '\\$1').replace(/^(\d+)([.)])(?=\s|$)/, '$1\\$2');
}

type Env = typeof Handlebars;

function markdownEnv(): Env {
  const env = Handlebars.create();
  // Swap the escaper the compiled code calls for `{{ }}`: compiled templates
  // reach it through container.helpers (wrapped helpers take a trailing options object).
  const Base = (env as unknown as { JavaScriptCompiler: new () => object }).JavaScriptCompiler;
  class MarkdownCompiler extends Base {}
  const proto = MarkdownCompiler.prototype as unknown as {
    compiler: unknown;
    appendEscaped(this: { pushSource(x: unknown): void; appendToBuffer(x: unknown): unknown; aliasable(x: string): string; popStack(): string }): void;
  };
  proto.appendEscaped = function () {
    this.pushSource(this.appendToBuffer([this.aliasable('container.helpers.__escapeMarkdown'), '(', this.popStack(), ', {})']));
  };
  proto.compiler = MarkdownCompiler; // child programs (#each, #if bodies) too
  (env as unknown as { JavaScriptCompiler: unknown }).JavaScriptCompiler = MarkdownCompiler;
  env.registerHelper('__escapeMarkdown', (value: unknown) => {
    if (value instanceof Handlebars.SafeString) return value.toString();
    return escapeMarkdown(value);
  });
  return env;
}

function fmtOf(options: Handlebars.HelperOptions): Formatter {
  const fmt = (options.data as { fmt?: Formatter }).fmt;
  if (!fmt) throw new Error('render: no formatter in template data');
  return fmt;
}

// Helper names are distinct from view field names (text, label, hours…): Handlebars
// resolves `{{name}}` to a helper before a field.
function registerHelpers(env: Env): void {
  // {{t "key" name=value}}: a catalog message; parameter values are plain text.
  env.registerHelper('t', function (key: MessageKey, options: Handlebars.HelperOptions) {
    return fmtOf(options).t(key, options.hash as Record<string, string>);
  });
  env.registerHelper('fmtMoney', function (amount: string, currency: string, options: Handlebars.HelperOptions) {
    return fmtOf(options).money(amount, currency, (options.hash as { display?: 'code' | 'symbol' }).display ?? 'code');
  });
  env.registerHelper('fmtNumber', (value: string, options: Handlebars.HelperOptions) => fmtOf(options).number(value));
  env.registerHelper('fmtDate', (value: string, options: Handlebars.HelperOptions) => fmtOf(options).date(value));
  env.registerHelper('fmtInstant', (iso: string, zone: string, options: Handlebars.HelperOptions) =>
    fmtOf(options).instant(iso, zone),
  );
  env.registerHelper('fmtDuration', (minutes: number, options: Handlebars.HelperOptions) => fmtOf(options).duration(minutes));
  env.registerHelper('fmtSchedule', (cal: Parameters<Formatter['schedule']>[0], options: Handlebars.HelperOptions) =>
    fmtOf(options).schedule(cal),
  );
  env.registerHelper('displayText', (value: Parameters<Formatter['text']>[0], options: Handlebars.HelperOptions) =>
    fmtOf(options).text(value),
  );
  env.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  env.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
}

/** Every helper registerHelpers defines. */
const HELPERS = ['t', 'fmtMoney', 'fmtNumber', 'fmtDate', 'fmtInstant', 'fmtDuration', 'fmtSchedule', 'displayText', 'eq', 'or'] as const;

/**
 * Compile options of every template and partial. Declaring the helpers (and
 * only those) lets Handlebars call `{{t …}}` directly and read `{{text}}`
 * straight from the view, instead of first asking whether a helper of that
 * name exists at every use: the output is the same, since no view field is
 * named like a helper.
 */
const COMPILE_OPTIONS: Parameters<typeof Handlebars.compile>[1] = {
  preventIndent: true,
  knownHelpers: Object.fromEntries(HELPERS.map((h) => [h, true])),
  knownHelpersOnly: true,
};

const envs = new Map<OutputKind, Env>();
const templates = new Map<string, Handlebars.TemplateDelegate>();

function envFor(kind: OutputKind): Env {
  let env = envs.get(kind);
  if (env) return env;
  env = kind === 'md' ? markdownEnv() : Handlebars.create();
  registerHelpers(env);
  // Shared partials: header, money table, styles, chart, layout (templates/partials/*.hbs).
  const partialsDir = TEMPLATES_DIR + 'partials/';
  for (const file of readdirSync(partialsDir)) {
    if (!file.endsWith('.hbs')) continue;
    const name = file.slice(0, -'.hbs'.length);
    env.registerPartial(name, env.compile(readFileSync(partialsDir + file, 'utf8'), COMPILE_OPTIONS));
  }
  envs.set(kind, env);
  return env;
}

/** Renders templates/<name>.<kind>.hbs with the view and the formatter (as @fmt data). */
export function renderTemplate(name: string, kind: OutputKind, view: object, fmt: Formatter): string {
  const id = `${name}.${kind}`;
  let tpl = templates.get(id);
  if (!tpl) {
    const env = envFor(kind);
    tpl = env.compile(readFileSync(`${TEMPLATES_DIR}${id}.hbs`, 'utf8'), COMPILE_OPTIONS);
    templates.set(id, tpl);
  }
  return tpl(view, { data: { fmt } });
}
