import type { ErrorReply } from './errors';

/**
 * A reply on the bus, as JSON: `ok` first, then (on success) `version`, the record's when the data
 * is one record that has one (else null), `data` last. That order lets a caller hand the data's
 * bytes on, and the version for an ETag, without reading them (relayableData). A reply without
 * the `version` key comes from a service of the previous release: the caller reads it whole.
 */
export type RpcReply = { ok: true; version?: number | null; data: unknown } | { ok: false; error: ErrorReply };

/** A successful reply's data as the JSON bytes it arrived in, with the record's version when it came with one. */
export interface RelayableData {
  json: Buffer;
  version?: number;
}

/** The version of `data` when it is one record that has one (a whole number, 0 or more). */
export function recordVersion(data: unknown): number | undefined {
  const version = (data as { version?: unknown } | null | undefined)?.version;
  return Number.isSafeInteger(version) && (version as number) >= 0 ? (version as number) : undefined;
}

/** A successful reply with `data`, in the reply layout. */
export function okReplyText(data: unknown): string {
  return JSON.stringify({ ok: true, version: recordVersion(data) ?? null, data });
}

/** A successful reply whose data is already JSON text, in the reply layout. */
export function okJsonReplyText(json: string, version?: number): string {
  return `{"ok":true,"version":${version ?? 'null'},"data":${json}}`;
}

const OK = Buffer.from('{"ok":true,');
const VERSION = Buffer.from('"version":');
const NO_VERSION = Buffer.from('null,');
const DATA = Buffer.from('"data":');
const COMMA = 0x2c;
const CLOSING_BRACE = 0x7d;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

/** The data's bytes and version of a successful reply in the reply layout; undefined for any other reply (read it whole: an error, a previous release's reply). */
export function relayableData(content: Buffer): RelayableData | undefined {
  if (content[content.length - 1] !== CLOSING_BRACE || !startsWith(content, OK, 0) || !startsWith(content, VERSION, OK.length)) return undefined;
  let at = OK.length + VERSION.length;
  let version: number | undefined;
  if (startsWith(content, NO_VERSION, at)) {
    at += NO_VERSION.length;
  } else {
    const digitsFrom = at;
    for (version = 0; at < content.length && content[at] >= DIGIT_0 && content[at] <= DIGIT_9; at++) version = version * 10 + content[at] - DIGIT_0;
    if (at === digitsFrom || at - digitsFrom > 15 || content[at] !== COMMA) return undefined;
    at++;
  }
  if (!startsWith(content, DATA, at) || content.length - at - DATA.length < 2) return undefined;
  return { json: content.subarray(at + DATA.length, content.length - 1), version };
}

function startsWith(content: Buffer, prefix: Buffer, at: number): boolean {
  return content.length >= at + prefix.length && content.compare(prefix, 0, prefix.length, at, at + prefix.length) === 0;
}
