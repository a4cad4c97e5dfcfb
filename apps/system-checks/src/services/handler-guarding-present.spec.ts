import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { appNames, ROOT } from '../support/workspace';

const specOf = (app: string) => join(ROOT, 'apps', app, 'src', 'handler-guarding.spec.ts');

/**
 * Each service checks its own message handlers (every contract it owns has one, every handler is
 * tenant-scoped unless allow-listed) with the same handler-guarding.spec.ts, next to its app
 * module: a new service is checked by copying it (the service generator emits it), and one
 * without it, or with an edited copy, fails here.
 */
describe('every service runs the service-side guarding spec', () => {
  const reference = readFileSync(specOf('contacts'), 'utf8');

  it.each(appNames())('%s has handler-guarding.spec.ts, the same as every other service', (app) => {
    expect({ app, present: existsSync(specOf(app)) }).toEqual({ app, present: true });
    expect({ app, same: readFileSync(specOf(app), 'utf8') === reference }).toEqual({ app, same: true });
  });
});
