import { names, Tree } from '@nx/devkit';
import { INTERNAL_PORT_OFFSET } from './ports';

/** Every spelling of a service's name the templates and the registrations use. */
export interface ServiceNames {
  /** demo-svc: app folder, project, scope tag, queue prefix, k8s objects. */
  name: string;
  /** DemoSvc: classes (DemoSvcTestContext). */
  className: string;
  /** demoSvc: values (demoSvcEcho). */
  propertyName: string;
  /** DEMO_SVC: its own variables (DEMO_SVC_DATABASE_URL, BUS_PASSWORD_DEMO_SVC). */
  envPrefix: string;
  /** crm_demo_svc: its database. */
  database: string;
  port: number;
  internalPort: number;
}

export const SERVICE_NAME_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

export function serviceNames(tree: Tree, name: string, port: number): ServiceNames {
  if (!SERVICE_NAME_PATTERN.test(name)) {
    throw new Error(`"${name}" is not a service name: lower-case letters and digits, words joined by '-' (e.g. billing, demo-svc)`);
  }
  if (tree.exists(`apps/${name}`)) throw new Error(`apps/${name} already exists`);
  const n = names(name);
  const envPrefix = n.constantName;
  return {
    name,
    className: n.className,
    propertyName: n.propertyName,
    envPrefix,
    database: `crm_${envPrefix.toLowerCase()}`,
    port,
    internalPort: port + INTERNAL_PORT_OFFSET,
  };
}
