import { Module } from '@nestjs/common';
import { ChangesModule } from '../changes/changes.module';
import { SyncLogModule } from '../sync-log/sync-log.module';
import { ContactLifecycleHandler } from './contact-lifecycle.handler';
import { ContactLifecycleService } from './contact-lifecycle.service';

/** The contacts service's merged and erased events (every service handles both). */
@Module({ imports: [SyncLogModule, ChangesModule], controllers: [ContactLifecycleHandler], providers: [ContactLifecycleService] })
export class ContactLifecycleModule {}
