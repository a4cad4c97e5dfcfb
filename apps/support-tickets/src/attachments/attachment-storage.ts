/** What a download link names: the file as the customer sent it. */
export interface AttachmentDownload {
  filename: string;
  contentType: string;
}

/**
 * Where attachment bytes live, apart from the database (which keeps their names, types and keys).
 * The filesystem by default; an S3-compatible bucket by config (SUPPORT_TICKETS_ATTACHMENTS_STORE).
 */
export abstract class AttachmentStorage {
  /** Stores the bytes under a new key (tenant-prefixed) and returns it. */
  abstract put(tenantId: string, content: Buffer): Promise<string>;
  abstract get(key: string): Promise<Buffer>;
  /** A short-lived link the client downloads the bytes from directly (a presigned URL), or null when the storage has none: the bytes then go through the service. */
  abstract linkFor(key: string, download: AttachmentDownload): Promise<string | null>;
}

/** `<tenant>/<2 chars>/<uuid>`: a tenant's files together, spread over 256 prefixes. */
export function newAttachmentKey(tenantId: string, id: string): string {
  return `${encodeURIComponent(tenantId)}/${id.slice(0, 2)}/${id}`;
}
