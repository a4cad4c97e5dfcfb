import { randomUUID } from 'node:crypto';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { create as contentDisposition } from 'content-disposition';
import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '../app.config';
import { AttachmentDownload, AttachmentStorage, newAttachmentKey } from './attachment-storage';

/**
 * Attachments as objects in an S3 bucket (AWS, or an S3-compatible store: MinIO, Ceph, R2 by
 * SUPPORT_TICKETS_S3_ENDPOINT). Downloads are presigned GET links, so the bytes go from the store
 * to the client and never through the bus.
 */
@Injectable()
export class S3AttachmentStorage extends AttachmentStorage implements OnModuleDestroy {
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly linkSeconds: number;

  constructor(config: AppConfig) {
    super();
    this.bucket = config.SUPPORT_TICKETS_S3_BUCKET as string;
    this.linkSeconds = config.SUPPORT_TICKETS_S3_LINK_SECONDS;
    const keyId = config.SUPPORT_TICKETS_S3_ACCESS_KEY_ID;
    const secret = config.SUPPORT_TICKETS_S3_SECRET_ACCESS_KEY;
    this.client = new S3Client({
      region: config.SUPPORT_TICKETS_S3_REGION,
      ...(config.SUPPORT_TICKETS_S3_ENDPOINT && { endpoint: config.SUPPORT_TICKETS_S3_ENDPOINT }),
      forcePathStyle: config.SUPPORT_TICKETS_S3_FORCE_PATH_STYLE,
      ...(keyId && secret && { credentials: { accessKeyId: keyId, secretAccessKey: secret } }),
      // Checksums only where the API asks for them: several S3-compatible stores reject the newer defaults.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  async put(tenantId: string, content: Buffer): Promise<string> {
    const key = newAttachmentKey(tenantId, randomUUID());
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: content, ContentLength: content.length }));
    return key;
  }

  async get(key: string): Promise<Buffer> {
    const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    if (!object.Body) throw new Error(`attachment ${key} has no body in the bucket`);
    return Buffer.from(await object.Body.transformToByteArray());
  }

  linkFor(key: string, { filename, contentType }: AttachmentDownload): Promise<string> {
    const command = new GetObjectCommand({
      Bucket: this.bucket,
      Key: key,
      ResponseContentType: contentType,
      ResponseContentDisposition: contentDisposition(filename),
    });
    return getSignedUrl(this.client, command, { expiresIn: this.linkSeconds });
  }

  onModuleDestroy(): void {
    this.client.destroy();
  }
}
