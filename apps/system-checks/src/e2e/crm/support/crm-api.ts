import { isDeepStrictEqual } from 'node:util';
import { ApiClient, ApiResponse, eventually, Json, summary } from '../../api-client';
import { GATEWAY_URL_VARIABLE, RUN_VARIABLE } from './shared-system';

/** How long the analytics read model may take to catch up with the events: a bounded wait, not an assertion on time. */
export const CATCH_UP_MS = 15_000;
export const PASSWORD = 'correct horse battery staple';

export interface Tenant {
  token: string;
  tenantId: string;
  adminEmail: string;
}

/** The system the global set-up started: a client of its gateway (refusing any 5xx) and the run's name, for unique emails. */
export function sharedSystem(): { api: ApiClient; run: string; gatewayUrl: string } {
  const gatewayUrl = process.env[GATEWAY_URL_VARIABLE];
  const run = process.env[RUN_VARIABLE];
  if (!gatewayUrl || !run)
    throw new Error(`${GATEWAY_URL_VARIABLE} is not set: run the CRM e2e files through jest.config.cts (its global set-up starts the system)`);
  return { api: new ApiClient(gatewayUrl, { refuseServerErrors: true }), run, gatewayUrl };
}

let tenants = 0;

/** Signs up an organisation of its own, named after the file (`label`) so that data never mixes between files. */
export async function signUpTenant(api: ApiClient, run: string, label: string): Promise<Tenant> {
  const name = `${label}-${(tenants += 1)}-${run}`;
  const adminEmail = `admin-${name}@example.test`;
  const signup = await api.post('/api/v1/auth/signup', { organization: `Tenant ${name}`, name: `Admin ${name}`, email: adminEmail, password: PASSWORD });
  if (signup.status !== 201) throw new Error(`sign-up failed: ${JSON.stringify(summary(signup))}`);
  return { token: signup.body.accessToken, tenantId: signup.body.tenant.id, adminEmail };
}

/** Adds a user with `role` to the tenant and logs them in: their access token. */
export async function userWithRole(api: ApiClient, tenant: Tenant, email: string, role: string): Promise<string> {
  const created = await api.post('/api/v1/users', { email, name: `User ${role}`, password: PASSWORD, roles: [role] }, tenant.token);
  if (created.status !== 201) throw new Error(`creating the ${role} failed: ${JSON.stringify(summary(created))}`);
  const login = await api.post('/api/v1/auth/login', { email, password: PASSWORD });
  if (login.status !== 200) throw new Error(`the ${role}'s login failed: ${JSON.stringify(summary(login))}`);
  return login.body.accessToken;
}

export const ids = (page: ApiResponse): string[] => ((page.body?.data ?? []) as { id: string }[]).map((r) => r.id);

/** The list and search of contacts as one tenant sees them. */
export function contactsOf(api: ApiClient, token: string) {
  const list = (query: string) => api.get(`/api/v1/contacts?${query}`, token);
  /** Every page of a contacts list, following nextCursor: the ids in order, and how many pages. */
  async function allPages(query: string): Promise<{ ids: string[]; pages: number }> {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await list(`${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      if (page.status !== 200) throw new Error(`a page of ${query} failed: ${JSON.stringify(summary(page))}`);
      seen.push(...ids(page));
      cursor = page.body.nextCursor;
      pages += 1;
    } while (cursor && pages < 50);
    return { ids: seen, pages };
  }
  return { list, allPages };
}

/** A write the fixture needs: its body, or a thrown error with what came back (set-up is not what a test asserts). */
export async function created(response: Promise<ApiResponse>, status = 201): Promise<Json> {
  const r = await response;
  if (r.status !== status) throw new Error(`set-up expected ${status}: ${JSON.stringify(summary(r))}`);
  return r.body;
}

type Stage = 'lead' | 'prospect' | 'customer' | 'churned';
export type Channel = 'call' | 'email' | 'meeting' | 'chat' | 'note';

/** What a tenant's analytics summary must come to: the active contacts' stages, companies, interactions by channel. */
export class ExpectedFigures {
  readonly contacts = new Map<string, Stage>();
  companies = 0;
  readonly interactions: Record<Channel, number> = { call: 0, email: 0, meeting: 0, chat: 0, note: 0 };

  summary() {
    const byLifecycleStage = { lead: 0, prospect: 0, customer: 0, churned: 0 };
    for (const stage of this.contacts.values()) byLifecycleStage[stage] += 1;
    const total = Object.values(this.interactions).reduce((a, b) => a + b, 0);
    return {
      contacts: { total: this.contacts.size, byLifecycleStage },
      companies: { total: this.companies },
      interactions: { total, byChannel: { ...this.interactions } },
    };
  }
}

/** The figures of a summary reply that ExpectedFigures predicts. */
export function figuresOf(body: Json) {
  return {
    contacts: body?.contacts,
    companies: body?.companies,
    interactions: body?.interactions && { total: body.interactions.total, byChannel: body.interactions.byChannel },
  };
}

/** The tenant's analytics summary once its figures are `want` (or the last reply after CATCH_UP_MS). */
export function figuresOnceCaughtUp(api: ApiClient, token: string, want: ReturnType<ExpectedFigures['summary']>): Promise<ApiResponse> {
  return eventually(
    () => api.get('/api/v1/analytics/summary', token),
    (r) => r.status === 200 && isDeepStrictEqual(figuresOf(r.body), want),
    CATCH_UP_MS,
  );
}
