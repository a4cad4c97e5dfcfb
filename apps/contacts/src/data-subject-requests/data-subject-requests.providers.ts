import { DataSubjectRequestRepository } from './data-subject-request.repository';
import { ListDataSubjectRequestsHandler } from './list-data-subject-requests/list-data-subject-requests.handler';
import { ListDataSubjectRequestsService } from './list-data-subject-requests/list-data-subject-requests.service';

export const dataSubjectRequestProviders = [DataSubjectRequestRepository, ListDataSubjectRequestsHandler, ListDataSubjectRequestsService];
