import { join } from 'node:path';
import { generateFiles, GeneratorCallback, logger, Tree } from '@nx/devkit';
import { ServiceGeneratorOptions } from './options';
import { servicePort } from './ports';
import { addBusUser } from './register/bus-users';
import { exportContracts } from './register/contracts';
import { addComposeService, addInitDatabase, addToKustomization } from './register/deployment';
import { addKnownService, addPermissionStub } from './register/gateway';
import { serviceNames } from './service-names';

const MESSAGING_MODELS = 'libs/messaging/prisma/messaging.prisma';

/**
 * `nx g @crm/tools:service <name>`: a service that starts, answers its echo and passes lint,
 * typecheck, its tests and the compose, Dockerfile and k8s checks as generated. Lists derived from
 * apps/*\/project.json (lint scopes, start-all, the system checks, the db scripts) need no edit;
 * the others are edited here, each in one function of ./register.
 */
export async function serviceGenerator(tree: Tree, options: ServiceGeneratorOptions): Promise<GeneratorCallback> {
  const s = serviceNames(tree, options.name, servicePort(tree, options.port));
  const substitutions = { ...s, initMigration: `${migrationTimestamp(new Date())}_init`, messagingModels: messagingModels(tree) };

  generateFiles(tree, join(__dirname, 'files/app'), `apps/${s.name}`, substitutions);
  generateFiles(tree, join(__dirname, 'files/k8s'), `deploy/k8s/${s.name}`, substitutions);
  generateFiles(tree, join(__dirname, 'files/contracts'), 'libs/contracts/src/lib', substitutions);
  copyHandlerGuardingSpec(tree, s.name);

  exportContracts(tree, s);
  addKnownService(tree, s);
  addPermissionStub(tree, s);
  addComposeService(tree, s);
  addInitDatabase(tree, s);
  addToKustomization(tree, s);
  addBusUser(tree, s);

  // After the files are written (not on --dry-run): its Prisma client, which typecheck and tests need.
  return () => {
    const result = generatePrismaClient(tree.root, s.name);
    if (result !== 0) logger.warn(`prisma generate failed for ${s.name}: run \`npm run prisma:generate\``);
    logger.info(
      [
        `${s.name}: port ${s.port} (internal ${s.internalPort}), database ${s.database}.`,
        `Next: \`npm run db:migrate -- ${s.name}\`, \`bash tools/bus-users.sh\`, then \`npx nx test ${s.name}\`.`,
        // db:new-migration diffs the working schema against HEAD's: uncommitted, the schema would be diffed from empty.
        `Commit the service before its first \`npm run db:new-migration -- ${s.name} <name>\`.`,
      ].join('\n'),
    );
  };
}

export default serviceGenerator;

/** The service-side guarding spec is the same file in every service (a system check compares them): copied, not templated. */
function copyHandlerGuardingSpec(tree: Tree, name: string): void {
  const reference = tree.read(HANDLER_GUARDING_SPEC);
  if (!reference) throw new Error(`${HANDLER_GUARDING_SPEC} is missing: the new service's guarding spec is a copy of it`);
  tree.write(`apps/${name}/src/handler-guarding.spec.ts`, reference);
}

const HANDLER_GUARDING_SPEC = 'apps/contacts/src/handler-guarding.spec.ts';

/** The outbox, inbox and command inbox models every service copies (the reference file without its header comment). */
function messagingModels(tree: Tree): string {
  const reference = tree.read(MESSAGING_MODELS, 'utf-8');
  if (reference === null) throw new Error(`${MESSAGING_MODELS} is missing: the service's schema copies the messaging tables from it`);
  return `${reference.slice(reference.search(/^(\/\/ .*\n)*model /m)).trim()}\n`;
}

/** As `prisma migrate dev` names migrations: <UTC yyyymmddhhmmss>_<name>. */
function migrationTimestamp(d: Date): string {
  return d.toISOString().replace(/\D/g, '').slice(0, 14);
}

/** `prisma generate` in the app's folder, as tools/db/generate-all.js runs it (offline, through its prisma.config.ts). */
function generatePrismaClient(root: string, name: string): number | null {
  const db = require(join(root, 'tools/db/lib.js')) as {
    prisma: (args: string[], options: { cwd: string; capture: boolean }) => { status: number | null; stdout: string; stderr: string };
  };
  const result = db.prisma(['generate'], { cwd: join(root, 'apps', name), capture: true });
  if (result.status !== 0) logger.error(`${result.stdout}${result.stderr}`);
  return result.status;
}
