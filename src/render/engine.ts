// Handlebars environments for the documents, on Handlebars' public API only
// (create, registerHelper, registerPartial, parse, compile, and the formal
// AST of docs/compiler-api.md). `{{ }}` always escapes for the format being
// written: Handlebars' HTML escaping in HTML templates; in Markdown templates
// every `{{x}}` is rewritten at compile time to `{{{mdEscape x}}}`. User text
// is never concatenated into markup; it only ever reaches output through
// `{{ }}`. Templates are read and compiled on first use and cached (bounded)
// for the life of the process.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { Memo } from '../memo.js';
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

/** The helper a Markdown template's `{{ }}` goes through (see toMarkdownEscaping). */
const MD_ESCAPE = 'mdEscape';

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
  // {{#each}} without the @index / @first / @last frame and block params the
  // built-in builds per item (no template reads them, and templates have no
  // @data at all). A non-empty array (views hold no sparse ones) is the hot
  // path; otherwise as the built-in: a function is called first, iterables
  // and objects' values in order, the {{else}} when there is nothing.
  env.registerHelper('each', function (this: unknown, items: unknown, options: Handlebars.HelperOptions) {
    let out = '';
    if (Array.isArray(items) && items.length > 0) {
      for (const item of items) out += options.fn(item);
      return out;
    }
    const context = typeof items === 'function' ? (items as (this: unknown) => unknown).call(this) : items;
    let n = 0;
    if (Array.isArray(context)) {
      for (let i = 0; i < context.length; i++) if (i in context) (out += options.fn(context[i])), n++;
    } else if (context !== null && typeof context === 'object') {
      const values = Symbol.iterator in context ? (context as Iterable<unknown>) : Object.values(context);
      for (const item of values) (out += options.fn(item)), n++;
    }
    return n === 0 ? options.inverse(this) : out;
  });
  env.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  env.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
}

/** Every helper registerHelpers (and envFor, for Markdown) defines. */
const HELPERS = ['t', 'fmtMoney', 'fmtNumber', 'fmtDate', 'fmtInstant', 'fmtDuration', 'fmtSchedule', 'displayText', 'eq', 'or', MD_ESCAPE] as const;

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

/**
 * Markdown escaping through the public AST: every escaped `{{x}}` (or
 * `{{helper args}}`) becomes `{{{mdEscape x}}}` (or `{{{mdEscape (helper
 * args)}}}`), so the value reaches the output through escapeMarkdown exactly
 * where HTML templates would HTML-escape it. Triple-stash `{{{ }}}` stays raw.
 */
function toMarkdownEscaping(program: hbs.AST.Program): hbs.AST.Program {
  const rewrite = (body: Statement[]): Statement[] =>
    body.map((st): Statement => {
      if (st.type === 'BlockStatement') {
        const b = st as hbs.AST.BlockStatement;
        if (b.program) b.program.body = rewrite(b.program.body);
        if (b.inverse) b.inverse.body = rewrite(b.inverse.body);
        return st;
      }
      if (st.type !== 'MustacheStatement' || !(st as hbs.AST.MustacheStatement).escaped) return st;
      const m = st as hbs.AST.MustacheStatement;
      // a literal alone in a mustache is a lookup of that name, as Handlebars reads it
      const path = m.path.type === 'PathExpression' ? m.path : pathOf(String((m.path as hbs.AST.StringLiteral).value));
      const value = m.params.length === 0 && !m.hash ? path : ({ type: 'SubExpression', path, params: m.params, hash: m.hash } as unknown as hbs.AST.SubExpression);
      return { type: 'MustacheStatement', path: pathOf(MD_ESCAPE), params: [value], escaped: false, strip: m.strip } as unknown as Statement;
    });
  program.body = rewrite(program.body);
  return program;
}

function pathOf(name: string): hbs.AST.PathExpression {
  return { type: 'PathExpression', data: false, depth: 0, parts: [name], original: name } as unknown as hbs.AST.PathExpression;
}

/** One environment per output kind and locale, with the shared partials (templates/partials/*.hbs). */
interface LocaleEnv {
  readonly env: Env;
  readonly fmt: Formatter;
  readonly compile: (source: string) => Handlebars.TemplateDelegate;
  /** compiled documents by template name (a handful) */
  readonly templates: Map<string, Handlebars.TemplateDelegate>;
}
const envs = new Memo<string, LocaleEnv>(64);

function envFor(kind: OutputKind, locale: SupportedLocale): LocaleEnv {
  const id = `${kind}.${locale}`;
  const e = envs.get(id);
  if (e) return e;
  const env = Handlebars.create();
  const fmt = new Formatter(locale);
  registerHelpers(env, fmt);
  const escape = kind === 'md' ? escapeMarkdown : Handlebars.escapeExpression;
  if (kind === 'md') {
    env.registerHelper(MD_ESCAPE, (value: unknown) => (value instanceof Handlebars.SafeString ? value.toString() : escapeMarkdown(value)));
  }
  const compile = (source: string): Handlebars.TemplateDelegate => {
    const ast = parseTemplate(source, fmt, escape);
    return env.compile(kind === 'md' ? toMarkdownEscaping(ast) : ast, COMPILE_OPTIONS);
  };
  // Shared partials: header, money table, styles, chart, layout.
  for (const file of readdirSync(PARTIALS_DIR)) {
    if (!file.endsWith('.hbs')) continue;
    env.registerPartial(file.slice(0, -'.hbs'.length), compile(readFileSync(PARTIALS_DIR + file, 'utf8')));
  }
  return envs.set(id, { env, fmt, compile, templates: new Map() });
}

/** Renders templates/<name>.<kind>.hbs with the view, in the formatter's locale. */
export function renderTemplate(name: string, kind: OutputKind, view: object, fmt: Formatter): string {
  const e = envFor(kind, fmt.locale);
  let tpl = e.templates.get(name);
  if (!tpl) {
    tpl = e.compile(readFileSync(`${TEMPLATES_DIR}${name}.${kind}.hbs`, 'utf8'));
    e.templates.set(name, tpl);
  }
  const out = tpl(view);
  // a NUL (from a plan's "\0" or an old stored name) is never emitted raw: HTML parsers turn it into U+FFFD anyway
  return out.includes('\0') ? out.replaceAll('\0', '\uFFFD') : out;
}
