// Render errors live apart from the renderer so the API can recognise them
// without loading Handlebars and the templates at start-up.
export type RenderErrorCode = 'UNKNOWN_OFFERING' | 'INVALID_DATE' | 'UNSUPPORTED_FORMAT';

export class RenderError extends Error {
  override readonly name = 'RenderError';
  constructor(
    readonly code: RenderErrorCode,
    message: string,
    /** For UNKNOWN_OFFERING: the offering ids the plan declares. */
    readonly declared: readonly string[] = [],
  ) {
    super(message);
  }
}
