// Moved to @crm/service-kit; this re-export goes when the last importer here imports it from there.
export { keysetPage } from '@crm/service-kit';
