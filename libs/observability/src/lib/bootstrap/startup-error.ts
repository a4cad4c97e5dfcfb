/** First line of an error's message, plus the Prisma error code when there is one (e.g. P1003: database missing). */
export function describeStartupError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const firstLine =
    error.message
      .split('\n')
      .find((line) => line.trim() !== '')
      ?.trim() ?? error.name;
  const code = (error as { errorCode?: unknown; code?: unknown }).errorCode ?? (error as { code?: unknown }).code;
  return typeof code === 'string' ? `${firstLine} (${code})` : firstLine;
}
