import { RequestEnvelopeWriter, type RpcRequestEnvelope } from './rpc-request-envelope';

describe('RequestEnvelopeWriter', () => {
  const token = `eyJhbGciOiJSUzI1NiJ9.${'a'.repeat(600)}.sig`;
  const envelopes: RpcRequestEnvelope[] = [
    {
      payload: { id: 'c1', note: 'quote " backslash \\ newline \n é ✓' },
      token,
      correlationId: 'corr-1',
      traceparent: '00-0123456789abcdef0123456789abcdef-0123456789abcdef-01',
    },
    { payload: { id: 'c2' }, token, correlationId: 'corr-2', traceparent: '00-0123456789abcdef0123456789abcdef-fedcba9876543210-01' },
    // another caller's token, then the first one again: each written as itself
    { payload: [1, null, true], token: 'other"token\\', correlationId: 'corr-3' },
    { payload: { id: 'c4' }, token, correlationId: 'corr-4' },
    { payload: undefined, token: undefined, correlationId: undefined, traceparent: undefined },
    { payload: 'text', correlationId: 42 },
    // values without JSON are left out, as JSON.stringify leaves them out
    { payload: () => 1, token: Symbol('t'), correlationId: 'corr-7' },
  ];

  it('writes each envelope exactly as JSON.stringify does, whichever token came before', () => {
    const writer = new RequestEnvelopeWriter();
    for (const envelope of envelopes) expect(writer.text(envelope)).toBe(JSON.stringify(envelope));
  });

  it('writes JSON that reads back as the envelope', () => {
    const writer = new RequestEnvelopeWriter();
    expect(JSON.parse(writer.text(envelopes[0]))).toEqual(envelopes[0]);
  });
});
