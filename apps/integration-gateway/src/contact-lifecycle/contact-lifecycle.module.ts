import { Module } from '@nestjs/common';
import { SyncLogModule } from '../sync-log/sync-log.module';
import { ContactLifecycleHandler } from './contact-lifecycle.handler';
import { ContactLifecycleService } from './contact-lifecycle.service';

/** The contacts service's merged and erased events (every service handles both). */
@Module({ imports: [SyncLogModule], controllers: [ContactLifecycleHandler], providers: [ContactLifecycleService] })
export class ContactLifecycleModule {}
