import { DuplicateRepository } from './duplicate.repository';

/** DuplicateFinder itself is registered with the contacts providers (create uses it). */
export const duplicateProviders = [DuplicateRepository];
