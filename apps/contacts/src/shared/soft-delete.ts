// Moved to @crm/service-kit; this re-export goes when the last importer here imports it from there.
export { isExpired, RESTORE_WINDOW_DAYS, restoreDeadline } from '@crm/service-kit';
