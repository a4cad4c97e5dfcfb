import { CompanyLookup } from './company-lookup';
import { CompanyRepository } from './company.repository';
import { CreateCompanyHandler } from './create-company/create-company.handler';
import { CreateCompanyService } from './create-company/create-company.service';
import { DeleteCompanyHandler } from './delete-company/delete-company.handler';
import { DeleteCompanyService } from './delete-company/delete-company.service';
import { GetCompanyHandler } from './get-company/get-company.handler';
import { ListCompaniesHandler } from './list-companies/list-companies.handler';
import { ListCompaniesService } from './list-companies/list-companies.service';
import { RestoreCompanyHandler } from './restore-company/restore-company.handler';
import { RestoreCompanyService } from './restore-company/restore-company.service';
import { UpdateCompanyHandler } from './update-company/update-company.handler';
import { UpdateCompanyService } from './update-company/update-company.service';

export const companyProviders = [
  CompanyRepository,
  CompanyLookup,
  CreateCompanyService,
  ListCompaniesService,
  UpdateCompanyService,
  DeleteCompanyService,
  RestoreCompanyService,
];

/** The area's message handlers: controllers, so Nest registers their @OnRpc / @OnEvent patterns. */
export const companyControllers = [
  CreateCompanyHandler,
  GetCompanyHandler,
  ListCompaniesHandler,
  UpdateCompanyHandler,
  DeleteCompanyHandler,
  RestoreCompanyHandler,
];
