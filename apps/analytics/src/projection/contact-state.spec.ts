import { applyContactChange, ContactChange, ContactState, countedStage } from './contact-state';

const ID = '00000000-0000-4000-8000-000000000001';
const SURVIVOR = '00000000-0000-4000-8000-000000000002';
const t = (day: number) => new Date(Date.UTC(2026, 0, day));

const fold = (changes: ContactChange[]): ContactState | null => changes.reduce<ContactState | null>((row, change) => applyContactChange(row, ID, change), null);

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

/** Every arrival order of the same changes gives the same row: what out-of-order delivery and replay rely on. */
function expectOrderFree(changes: ContactChange[]): ContactState | null {
  const [first, ...others] = permutations(changes).map(fold);
  for (const other of others) expect(other).toEqual(first);
  return first;
}

describe('contact state', () => {
  it('follows the highest version', () => {
    const row = expectOrderFree([
      { kind: 'state', version: 1, lifecycleStage: 'lead', companyId: null, at: t(1) },
      { kind: 'state', version: 2, lifecycleStage: 'prospect', companyId: null, at: t(2) },
      { kind: 'state', version: 3, lifecycleStage: 'customer', companyId: SURVIVOR, at: t(3) },
    ]);
    expect(row).toMatchObject({ version: 3, lifecycleStage: 'customer', companyId: SURVIVOR, deleted: false });
    expect(countedStage(row)).toBe('customer');
  });

  it('ignores an event no newer than what it has', () => {
    const v2 = fold([{ kind: 'state', version: 2, lifecycleStage: 'prospect', companyId: null, at: t(2) }]);
    expect(applyContactChange(v2, ID, { kind: 'state', version: 2, lifecycleStage: 'churned', companyId: null, at: t(2) })).toEqual(v2);
    expect(applyContactChange(v2, ID, { kind: 'deleted', version: 1, at: t(1) })).toEqual(v2);
  });

  it('deletes with a newer version, restores with a newer still', () => {
    const deleted = expectOrderFree([
      { kind: 'state', version: 1, lifecycleStage: 'lead', companyId: null, at: t(1) },
      { kind: 'deleted', version: 2, at: t(2) },
    ]);
    expect(deleted).toMatchObject({ deleted: true, deletedAt: t(2), lifecycleStage: null });
    expect(countedStage(deleted)).toBeNull();
    const restored = expectOrderFree([
      { kind: 'state', version: 1, lifecycleStage: 'lead', companyId: null, at: t(1) },
      { kind: 'deleted', version: 2, at: t(2) },
      { kind: 'state', version: 3, lifecycleStage: 'lead', companyId: null, at: t(3) },
    ]);
    expect(countedStage(restored)).toBe('lead');
  });

  it('keeps an erased contact gone whatever arrives, in any order', () => {
    const row = expectOrderFree([
      { kind: 'state', version: 1, lifecycleStage: 'lead', companyId: null, at: t(1) },
      { kind: 'erased', version: 3, at: t(3) },
      { kind: 'state', version: 2, lifecycleStage: 'customer', companyId: null, at: t(2) },
      { kind: 'state', version: 4, lifecycleStage: 'customer', companyId: null, at: t(4) },
    ]);
    expect(row).toMatchObject({ erased: true, erasedAt: t(3), version: 4, lifecycleStage: null, deleted: true });
    expect(countedStage(row)).toBeNull();
  });

  it('keeps a merged-away contact gone, with the merge time, whatever older arrives', () => {
    const row = expectOrderFree([
      { kind: 'state', version: 1, lifecycleStage: 'lead', companyId: null, at: t(1) },
      { kind: 'state', version: 2, lifecycleStage: 'customer', companyId: null, at: t(2) },
      { kind: 'merged-away', into: SURVIVOR, at: t(5) },
    ]);
    expect(row).toMatchObject({ mergedIntoId: SURVIVOR, deleted: true, deletedAt: t(5), version: 2, lifecycleStage: null });
    expect(countedStage(row)).toBeNull();
  });

  it('brings a merged-away contact back when it is restored after the merge', () => {
    const row = expectOrderFree([
      { kind: 'state', version: 1, lifecycleStage: 'lead', companyId: null, at: t(1) },
      { kind: 'merged-away', into: SURVIVOR, at: t(5) },
      // The merge deleted it as version 2 (no event says so); the restore is version 3.
      { kind: 'state', version: 3, lifecycleStage: 'prospect', companyId: null, at: t(7) },
    ]);
    expect(row).toMatchObject({ mergedIntoId: null, deleted: false, version: 3, lifecycleStage: 'prospect' });
    expect(countedStage(row)).toBe('prospect');
  });

  it('takes the earliest erasure time, wherever it comes from', () => {
    expect(
      expectOrderFree([
        { kind: 'erased', at: null, version: 2 },
        { kind: 'erased', at: t(9) },
        { kind: 'erased', at: t(4), version: 3 },
      ]),
    ).toMatchObject({
      erasedAt: t(4),
      version: 3,
    });
  });
});
