import { Injectable } from '@nestjs/common';

/** The time as the service's scheduled work sees it: one provider, so tests can move it (spy on now()). */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
