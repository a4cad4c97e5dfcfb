/** What the read model keeps of one company (a row of company_view). */
export interface CompanyState {
  companyId: string;
  version: number;
  deleted: boolean;
  deletedAt: Date | null;
}

export type CompanyChange = { kind: 'state'; version: number } | { kind: 'deleted'; version: number; at: Date };

/** The company after `change`: the highest version wins, whatever the arrival order. */
export function applyCompanyChange(current: CompanyState | null, companyId: string, change: CompanyChange): CompanyState {
  if (current && change.version <= current.version) return current;
  return change.kind === 'state'
    ? { companyId, version: change.version, deleted: false, deletedAt: null }
    : { companyId, version: change.version, deleted: true, deletedAt: change.at };
}

export const isCountedCompany = (row: CompanyState | null): boolean => row !== null && !row.deleted;
