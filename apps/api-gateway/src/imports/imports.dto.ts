import { importCompanies, importContacts, importInteractions } from '@crm/contracts';
import type { z } from 'zod';

/** The bodies are the commands themselves (`{companies: [...]}` etc.): field paths in problems read the same on both sides. */
export const importCompaniesBodySchema = importCompanies.request;
export type ImportCompaniesBody = z.infer<typeof importCompaniesBodySchema>;

export const importContactsBodySchema = importContacts.request;
export type ImportContactsBody = z.infer<typeof importContactsBodySchema>;

export const importInteractionsBodySchema = importInteractions.request;
export type ImportInteractionsBody = z.infer<typeof importInteractionsBodySchema>;
