import { applyCustomFieldValues, CustomFieldRule } from './custom-field-values';

const rules: CustomFieldRule[] = [
  { key: 'plan', type: 'select', options: ['free', 'pro'], required: true },
  { key: 'seats', type: 'number', options: [], required: false },
  { key: 'renewal', type: 'date', options: [], required: false },
  { key: 'vip', type: 'boolean', options: [], required: false },
  { key: 'note', type: 'text', options: [], required: false },
];

describe('applyCustomFieldValues', () => {
  it('applies a patch onto the current values; a null clears a key', () => {
    const { values, issues } = applyCustomFieldValues(rules, 'x.customFields', { seats: 12, renewal: '2028-02-29', vip: true, note: null }, { plan: 'pro', note: 'old' });
    expect(issues).toEqual([]);
    expect(values).toEqual({ plan: 'pro', seats: 12, renewal: '2028-02-29', vip: true });
  });

  it('names every problem by its path: unknown keys, wrong types, impossible dates, values outside the options', () => {
    const { issues } = applyCustomFieldValues(rules, 'patch.customFields', { color: 'red', seats: '12', renewal: '2027-02-29', vip: 'yes', plan: 'gold', note: 3 });
    expect(issues).toEqual([
      { path: 'patch.customFields.color', message: 'no such custom field' },
      { path: 'patch.customFields.seats', message: 'must be a number' },
      { path: 'patch.customFields.renewal', message: 'must be a date (YYYY-MM-DD)' },
      { path: 'patch.customFields.vip', message: 'must be true or false' },
      { path: 'patch.customFields.plan', message: 'must be one of: free, pro' },
      { path: 'patch.customFields.note', message: 'must be text' },
    ]);
  });

  it('a required field cannot be cleared, and with requireAll must hold a value', () => {
    expect(applyCustomFieldValues(rules, 'p', { plan: null }, { plan: 'pro' }).issues).toEqual([{ path: 'p.plan', message: 'is required' }]);
    expect(applyCustomFieldValues(rules, 'p', { seats: 1 }).issues).toEqual([]);
    expect(applyCustomFieldValues(rules, 'p', { seats: 1 }, {}, { requireAll: true }).issues).toEqual([{ path: 'p.plan', message: 'is required' }]);
    expect(applyCustomFieldValues(rules, 'p', undefined, { plan: 'free' }, { requireAll: true }).issues).toEqual([]);
  });
});
