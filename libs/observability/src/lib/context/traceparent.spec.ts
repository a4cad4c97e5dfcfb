import { childTraceparent, newTraceparent, parseTraceparent } from './traceparent';

const VALID = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('traceparent', () => {
  it('parses a valid header', () => {
    expect(parseTraceparent(VALID)).toEqual({
      version: '00',
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      flags: '01',
    });
  });

  it.each([
    ['missing', undefined],
    ['garbage', 'hello'],
    ['short trace id', '00-4bf92f35-00f067aa0ba902b7-01'],
    ['zero trace id', '00-00000000000000000000000000000000-00f067aa0ba902b7-01'],
    ['zero span id', '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01'],
    ['version ff', 'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'],
  ])('rejects %s', (_case, header) => {
    expect(parseTraceparent(header)).toBeUndefined();
  });

  it('creates a new, valid, sampled trace', () => {
    const created = parseTraceparent(newTraceparent());
    expect(created).toBeDefined();
    expect(created?.flags).toBe('01');
    expect(newTraceparent()).not.toBe(newTraceparent());
  });

  it('creates a child span in the same trace', () => {
    const child = parseTraceparent(childTraceparent(VALID));
    expect(child?.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(child?.spanId).not.toBe('00f067aa0ba902b7');
    expect(child?.flags).toBe('01');
  });

  it('starts a new trace when the parent is invalid', () => {
    expect(parseTraceparent(childTraceparent('nonsense'))).toBeDefined();
  });
});
