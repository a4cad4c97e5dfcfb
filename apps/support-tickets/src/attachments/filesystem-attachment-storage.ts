import { randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '../app.config';
import { AttachmentStorage, newAttachmentKey } from './attachment-storage';

/** Attachments as files under SUPPORT_TICKETS_ATTACHMENTS_DIR/<tenant>/<2 chars>/<uuid>. */
@Injectable()
export class FilesystemAttachmentStorage extends AttachmentStorage {
  private readonly root: string;

  constructor(config: AppConfig) {
    super();
    this.root = resolve(config.SUPPORT_TICKETS_ATTACHMENTS_DIR);
  }

  async put(tenantId: string, content: Buffer): Promise<string> {
    const key = newAttachmentKey(tenantId, randomUUID());
    const path = join(this.root, key);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content);
    return key;
  }

  get(key: string): Promise<Buffer> {
    const path = resolve(this.root, key);
    // A key is only ever one this storage made; anything reaching outside the root is refused.
    if (!path.startsWith(this.root + '/')) throw new Error(`attachment key outside the storage: ${key}`);
    return readFile(path);
  }

  /** Files have no link of their own: the service reads and returns them. */
  linkFor(): Promise<string | null> {
    return Promise.resolve(null);
  }
}
