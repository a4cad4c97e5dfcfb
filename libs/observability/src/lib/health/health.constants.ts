export const READINESS_CHECKS = Symbol('READINESS_CHECKS');
export const HEALTH_OPTIONS = Symbol('HEALTH_OPTIONS');

export interface HealthSettings {
  /** A readiness check slower than this counts as down. */
  checkTimeoutMs: number;
}
