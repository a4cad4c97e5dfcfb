/**
 * Where attachment bytes live, apart from the database (which keeps their names, types and keys).
 * The filesystem by default; an S3-compatible store implements the same two calls.
 */
export abstract class AttachmentStorage {
  /** Stores the bytes under a new key (tenant-prefixed) and returns it. */
  abstract put(tenantId: string, content: Buffer): Promise<string>;
  abstract get(key: string): Promise<Buffer>;
}
