// Render errors are registry errors (src/errors.ts) under their own class
// name, apart from the renderer so the API and CLI can recognise them without
// loading Handlebars and the templates at start-up.
import { ERR, TierbookError, type ParamsOf } from '../errors.js';

const DEFS = { UNKNOWN_OFFERING: ERR.UNKNOWN_OFFERING, INVALID_DATE: ERR.INVALID_DATE, UNSUPPORTED_FORMAT: ERR.UNSUPPORTED_FORMAT } as const;
export type RenderErrorCode = keyof typeof DEFS;

export class RenderError<C extends RenderErrorCode = RenderErrorCode> extends TierbookError<C> {
  override readonly name = 'RenderError';
  constructor(
    code: C,
    params: ParamsOf<(typeof DEFS)[C]['template']>,
    /** For UNKNOWN_OFFERING: the offering ids the plan declares. */
    readonly declared: readonly string[] = [],
  ) {
    const e = (DEFS[code] as (p: typeof params) => TierbookError)(params);
    super(code, e.message, e.status, e.exit, e.params);
  }
}
