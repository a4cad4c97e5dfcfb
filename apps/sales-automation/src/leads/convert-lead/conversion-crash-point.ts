/**
 * A fault-injection hook for the conversion crash test only: with
 * SALES_AUTOMATION_CONVERSION_CRASH_AFTER=<step> in its environment the process SIGKILLs itself
 * right after that step's remote write answered and before the lead records it (the worst moment:
 * the write exists, the lead does not know). Unset everywhere else; a no-op then.
 */
export function crashPoint(step: 'company' | 'contact' | 'deal'): void {
  if (process.env['SALES_AUTOMATION_CONVERSION_CRASH_AFTER'] === step) process.kill(process.pid, 'SIGKILL');
}
