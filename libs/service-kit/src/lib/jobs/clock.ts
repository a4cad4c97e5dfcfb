import { Injectable } from '@nestjs/common';
import { readFileSync } from 'node:fs';

/** The time as the service's scheduled work sees it: one provider, so tests can move it (spy on now()). */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}

/** How long an offset read from the file is trusted before it is read again. */
const OFFSET_REREAD_MS = 200;

/**
 * A clock moved by a file: now() is the real time plus the milliseconds the file holds (an empty
 * or missing file is no offset). End-to-end tests advance a running service's clock by weeks
 * this way; the services' configs refuse it in production.
 */
export class OffsetFileClock extends Clock {
  private offsetMs = 0;
  private readAt = 0;

  constructor(private readonly file: string) {
    super();
  }

  override now(): Date {
    const real = Date.now();
    if (real - this.readAt >= OFFSET_REREAD_MS) {
      this.offsetMs = readOffset(this.file);
      this.readAt = real;
    }
    return new Date(real + this.offsetMs);
  }
}

function readOffset(file: string): number {
  try {
    const value = Number(readFileSync(file, 'utf8').trim() || '0');
    return Number.isFinite(value) ? value : 0;
  } catch {
    return 0;
  }
}
