import { searchTerms } from './search-terms';
import { searchWords } from './search-words';

describe('search words and terms', () => {
  it('stores a record under the runs of letters and of digits of its search text, once each', () => {
    expect(searchWords('john smith j.smith42@initech.example 15550100200 john@initech.example')).toEqual([
      '15550100200',
      '42',
      'example',
      'initech',
      'j',
      'john',
      'smith',
    ]);
    expect(searchWords("o'brien-ßøn")).toEqual(['brien', 'o', 'ßøn']);
    expect(searchWords('')).toEqual([]);
  });

  it('cuts a query the way words are cut, every run a term; single letters and digits match exactly', () => {
    expect(searchTerms('Jon Smiht')).toEqual([
      { kind: 'word', text: 'jon' },
      { kind: 'word', text: 'smiht' },
    ]);
    expect(searchTerms('J.Smith42@Initech')).toEqual([
      { kind: 'exact', text: 'j' },
      { kind: 'word', text: 'smith' },
      { kind: 'word', text: '42' },
      { kind: 'word', text: 'initech' },
    ]);
    expect(searchTerms('Müller müller')).toEqual([{ kind: 'word', text: 'muller' }]);
  });

  it('takes a phone number as one digits term, however written', () => {
    for (const q of ['+1 (555) 010-0200', '1.555.010.0200', '15550100200']) expect(searchTerms(q)).toEqual([{ kind: 'digits', text: '15550100200' }]);
  });

  it('keeps text without letters or digits as it is (it matches only itself), and at most 8 terms', () => {
    expect(searchTerms('--')).toEqual([{ kind: 'exact', text: '--' }]);
    expect(searchTerms('a1 b2 c3 d4 e5 f6 g7 h8 i9')).toHaveLength(8);
  });
});
