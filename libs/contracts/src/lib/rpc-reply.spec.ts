import { okJsonReplyText, okReplyText, recordVersion, relayableData } from './rpc-reply';

const relayed = (text: string) => {
  const data = relayableData(Buffer.from(text));
  return data && { json: data.json.toString('utf8'), version: data.version };
};

describe('the reply layout: what a service writes, and a caller hands on without reading the data', () => {
  it("writes a record's version before the data, and reads both back", () => {
    const record = { id: 'c1', version: 12, name: 'Zoë "Z" {x}' };
    expect(okReplyText(record)).toBe(`{"ok":true,"version":12,"data":${JSON.stringify(record)}}`);
    expect(relayed(okReplyText(record))).toEqual({ json: JSON.stringify(record), version: 12 });
    expect(relayed(okJsonReplyText('{"id":"c1","version":3}', 3))).toEqual({ json: '{"id":"c1","version":3}', version: 3 });
  });

  it('writes a null version for data that is not one versioned record', () => {
    for (const data of [{ data: [{ version: 1 }], nextCursor: null }, [1], 'text', null, { version: '2' }, { version: 1.5 }, { version: -1 }]) {
      expect(recordVersion(data)).toBeUndefined();
      expect(okReplyText(data)).toBe(`{"ok":true,"version":null,"data":${JSON.stringify(data)}}`);
      expect(relayed(okReplyText(data))).toEqual({ json: JSON.stringify(data), version: undefined });
    }
    expect(relayed(okJsonReplyText('{"data":[]}'))).toEqual({ json: '{"data":[]}', version: undefined });
  });

  it("leaves every other reply to be read whole: errors, a previous release's (no version key), other layouts, a malformed version", () => {
    for (const text of [
      JSON.stringify({ ok: false, error: { code: 'NOT_FOUND', message: 'no such contact' } }),
      '{"ok":true,"data":{"id":"c1","version":3}}',
      '{"data":{},"ok":true}',
      '{"ok":true,"version":null,"data":}',
      '{"ok":true,"version":null"data":{}}',
      '{"ok":true,"version":,"data":{}}',
      '{"ok":true,"version":-1,"data":{}}',
      '{"ok":true,"version":1.5,"data":{}}',
      '{"ok":true,"version":1234567890123456,"data":{}}',
      '{"ok":true,"version":1 "data":{}}',
    ]) {
      expect(relayed(text)).toBeUndefined();
    }
  });
});
