import { DataSubjectRequestRepository } from './data-subject-request.repository';
import { ListDataSubjectRequestsHandler } from './list-data-subject-requests/list-data-subject-requests.handler';
import { ListDataSubjectRequestsService } from './list-data-subject-requests/list-data-subject-requests.service';

export const dataSubjectRequestProviders = [DataSubjectRequestRepository, ListDataSubjectRequestsService];

/** The area's message handlers: controllers, so Nest registers their @OnRpc / @OnEvent patterns. */
export const dataSubjectRequestControllers = [ListDataSubjectRequestsHandler];
