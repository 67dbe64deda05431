/** Builds the console into `outDir` (created if missing); returns the folder. */
export function buildConsole(outDir: string): Promise<string>;
