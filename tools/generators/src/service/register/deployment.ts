import { Tree } from '@nx/devkit';
import { ServiceNames } from '../service-names';
import { editFile, insertAfterLastLine } from './edit-file';

/** deploy/k8s/kustomization.yaml lists every service's folder. */
export function addToKustomization(tree: Tree, { name }: ServiceNames): void {
  editFile(tree, 'deploy/k8s/kustomization.yaml', `add ${name} to its resources`, (text) => {
    const list = /^resources: \[([^\]]*)\]$/m.exec(text);
    return list ? text.replace(list[0], `resources: [${list[1].trim()}, ${name}]`) : undefined;
  });
}

/** Its database, created by Postgres' init script on the first start of an empty volume. */
export function addInitDatabase(tree: Tree, { database }: ServiceNames): void {
  editFile(tree, 'deploy/compose/init-databases.sql', `create ${database}`, (text) =>
    /CREATE DATABASE/.test(text) ? `${text.replace(/\n*$/, '\n')}CREATE DATABASE ${database};\n` : undefined,
  );
}

/** Its compose service (built from the Dockerfile with APP=<name>) and its broker user's password. */
export function addComposeService(tree: Tree, s: ServiceNames): void {
  const service = [
    `  ${s.name}:`,
    `    <<: *app`,
    `    build: { context: ., dockerfile: Dockerfile, args: { APP: ${s.name} } }`,
    `    environment:`,
    `      <<: *app-env`,
    `      PORT: "${s.port}"`,
    `      INTERNAL_PORT: "${s.internalPort}"`,
    `      RABBITMQ_URL: amqp://crm-${s.name}:\${BUS_PASSWORD_${s.envPrefix}:-dev-${s.name}}@rabbitmq:5672`,
    `      ${s.envPrefix}_DATABASE_URL: postgresql://postgres:\${POSTGRES_PASSWORD:-postgres}@postgres:5432/${s.database}`,
    '',
  ].join('\n');
  editFile(tree, 'docker-compose.yml', `add the ${s.name} service`, (text) => {
    const withPassword = insertAfterLastLine(
      text,
      /^ {6}BUS_PASSWORD_[A-Z0-9_]+: /,
      `      BUS_PASSWORD_${s.envPrefix}: \${BUS_PASSWORD_${s.envPrefix}:-dev-${s.name}}`,
    );
    // The services come last before the top-level volumes.
    return withPassword && /\nvolumes:\n/.test(withPassword) ? withPassword.replace(/\nvolumes:\n/, `\n${service}\nvolumes:\n`) : undefined;
  });
}
