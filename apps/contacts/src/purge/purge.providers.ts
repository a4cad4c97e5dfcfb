import { PurgeDeletedJob } from './purge-deleted/purge-deleted.job';
import { PurgeDeletedService } from './purge-deleted/purge-deleted.service';
import { PurgeRepository } from './purge.repository';

export const purgeProviders = [PurgeRepository, PurgeDeletedService, PurgeDeletedJob];
