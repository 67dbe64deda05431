// Handlebars environments for the documents. Two environments, one per output
// language, so that `{{ }}` always escapes for the format being written:
// HTML-escaping in the HTML one, Markdown-escaping in the Markdown one. User
// text is never concatenated into markup; it only ever reaches output through
// `{{ }}`. Templates are read and compiled on first use and cached for the
// life of the process.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { Formatter } from './format.js';
import type { MessageKey, SupportedLocale } from './i18n.js';

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

// Helper names are distinct from view field names (text, label, hours…): Handlebars
// resolves `{{name}}` to a helper before a field. Each environment serves one
// locale, so helpers format with that locale's formatter and templates need no
// @data (see COMPILE_OPTIONS).
function registerHelpers(env: Env, fmt: Formatter): void {
  // {{t "key" name=value}}: a catalog message; parameter values are plain text.
  env.registerHelper('t', (key: MessageKey, options: Handlebars.HelperOptions) => fmt.t(key, options.hash as Record<string, string>));
  env.registerHelper('fmtMoney', (amount: string, currency: string, options: Handlebars.HelperOptions) =>
    fmt.money(amount, currency, (options.hash as { display?: 'code' | 'symbol' }).display ?? 'code'),
  );
  env.registerHelper('fmtNumber', (value: string) => fmt.number(value));
  env.registerHelper('fmtDate', (value: string) => fmt.date(value));
  env.registerHelper('fmtInstant', (iso: string, zone: string) => fmt.instant(iso, zone));
  env.registerHelper('fmtDuration', (minutes: number) => fmt.duration(minutes));
  env.registerHelper('fmtSchedule', (cal: Parameters<Formatter['schedule']>[0]) => fmt.schedule(cal));
  env.registerHelper('displayText', (value: Parameters<Formatter['text']>[0]) => fmt.text(value));
  // {{#each}} over a non-empty array: the items in order, without the @index /
  // @first / @last frame and block params the built-in builds per item (no
  // template reads them, and templates have no @data at all); anything else
  // goes to the built-in.
  const each = env.helpers.each as Handlebars.HelperDelegate;
  env.registerHelper('each', function (this: unknown, items: unknown, options: Handlebars.HelperOptions) {
    if (!Array.isArray(items) || items.length === 0) return each.call(this, items, options);
    let out = '';
    for (const item of items) out += options.fn(item);
    return out;
  });
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
 * named like a helper. No @data: nothing reads it (helpers get their
 * formatter from the environment), and without it Handlebars reuses one
 * wrapper per block program instead of building one at every {{#if}} and
 * {{#each}}. Standalone lines were already stripped when the source was
 * parsed (parseTemplate), so they are not looked for a second time.
 */
const COMPILE_OPTIONS: Parameters<typeof Handlebars.compile>[1] = {
  preventIndent: true,
  knownHelpers: Object.fromEntries(HELPERS.map((h) => [h, true])),
  knownHelpersOnly: true,
  data: false,
  ignoreStandalone: true,
};

type Statement = hbs.AST.Statement;
const PARTIALS_DIR = TEMPLATES_DIR + 'partials/';

/**
 * Parses a template for one locale and output kind, and resolves at compile
 * time what does not depend on the document:
 * - every `{{t "key"}}` without parameters becomes the message itself,
 *   escaped for the output format exactly as `{{ }}` escapes it at render time;
 * - a partial block without context or parameters (`{{#> layout}}…{{/layout}}`)
 *   becomes the partial's own statements with the block's in place of
 *   `{{> @partial-block}}`, as the runtime would render it (the same context,
 *   each source's standalone lines stripped when it was parsed).
 * Only whole statements are replaced: user text still reaches the output
 * through `{{ }}` only.
 */
function parseTemplate(source: string, fmt: Formatter, escape: (s: string) => string, block?: readonly Statement[]): hbs.AST.Program {
  const program = Handlebars.parse(source, { ignoreStandalone: false });
  const resolve = (body: Statement[]): Statement[] =>
    body.flatMap((st): Statement[] => {
      switch (st.type) {
        case 'MustacheStatement': {
          const m = st as hbs.AST.MustacheStatement;
          const [key] = m.params;
          if ((m.path as hbs.AST.PathExpression).original !== 't' || m.params.length !== 1 || m.hash || key?.type !== 'StringLiteral') return [st];
          const text = fmt.t((key as hbs.AST.StringLiteral).value as MessageKey);
          const value = m.escaped ? escape(text) : text;
          return [{ type: 'ContentStatement', value, original: value, loc: m.loc } as unknown as Statement]; // (the typings call `original` StripFlags)
        }
        case 'PartialStatement': {
          const name = ((st as hbs.AST.PartialStatement).name as hbs.AST.PathExpression).original;
          return name === '@partial-block' && block ? [...block] : [st];
        }
        case 'PartialBlockStatement': {
          const pb = st as unknown as hbs.AST.BlockStatement & { name: hbs.AST.PathExpression };
          if (pb.params.length > 0 || pb.hash || pb.name.type !== 'PathExpression') throw new Error('render: partial blocks take no context or parameters');
          const inner = resolve(pb.program.body);
          return parseTemplate(readFileSync(`${PARTIALS_DIR}${pb.name.original}.hbs`, 'utf8'), fmt, escape, inner).body;
        }
        case 'BlockStatement': {
          const b = st as hbs.AST.BlockStatement;
          if (b.program) b.program.body = resolve(b.program.body);
          if (b.inverse) b.inverse.body = resolve(b.inverse.body);
          return [st];
        }
        default:
          return [st];
      }
    });
  program.body = resolve(program.body);
  return withoutLocations(program);
}

/**
 * Drops the source locations from an AST: Handlebars copies a node's location
 * into the options object of every helper call it compiles ({{#if}}, {{#each}}),
 * three objects built at every call, only for error messages.
 */
function withoutLocations<T>(node: T): T {
  if (Array.isArray(node)) node.forEach(withoutLocations);
  else if (node && typeof node === 'object') {
    delete (node as { loc?: unknown }).loc;
    for (const v of Object.values(node)) withoutLocations(v);
  }
  return node;
}

/** One environment per output kind and locale, with the shared partials (templates/partials/*.hbs). */
interface LocaleEnv {
  readonly env: Env;
  readonly fmt: Formatter;
  readonly escape: (s: string) => string;
  readonly templates: Map<string, Handlebars.TemplateDelegate>;
}
const envs = new Map<string, LocaleEnv>();

function envFor(kind: OutputKind, locale: SupportedLocale): LocaleEnv {
  const id = `${kind}.${locale}`;
  let e = envs.get(id);
  if (e) return e;
  const env = kind === 'md' ? markdownEnv() : Handlebars.create();
  const fmt = new Formatter(locale);
  registerHelpers(env, fmt);
  e = { env, fmt, escape: kind === 'md' ? escapeMarkdown : Handlebars.escapeExpression, templates: new Map() };
  // Shared partials: header, money table, styles, chart, layout.
  for (const file of readdirSync(PARTIALS_DIR)) {
    if (!file.endsWith('.hbs')) continue;
    const name = file.slice(0, -'.hbs'.length);
    env.registerPartial(name, env.compile(parseTemplate(readFileSync(PARTIALS_DIR + file, 'utf8'), fmt, e.escape), COMPILE_OPTIONS));
  }
  envs.set(id, e);
  return e;
}

/** Renders templates/<name>.<kind>.hbs with the view, in the formatter's locale. */
export function renderTemplate(name: string, kind: OutputKind, view: object, fmt: Formatter): string {
  const e = envFor(kind, fmt.locale);
  let tpl = e.templates.get(name);
  if (!tpl) {
    tpl = e.env.compile(parseTemplate(readFileSync(`${TEMPLATES_DIR}${name}.${kind}.hbs`, 'utf8'), e.fmt, e.escape), COMPILE_OPTIONS);
    e.templates.set(name, tpl);
  }
  return tpl(view);
}
