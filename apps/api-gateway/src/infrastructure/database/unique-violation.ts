/** Whether a statement failed on a unique constraint (Postgres 23505, as the pg driver reports it). */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === '23505';
}
