import { Tree } from '@nx/devkit';
import { ServiceNames } from '../service-names';
import { editFile } from './edit-file';

/**
 * tools/bus-users.sh creates one broker user per service, by default for the services it lists
 * (it also runs inside the compose rabbitmq container, where there is no apps/ folder to read).
 */
export function addBusUser(tree: Tree, { name }: ServiceNames): void {
  editFile(tree, 'tools/bus-users.sh', `add ${name} to the default BUS_SERVICES`, (text) => {
    const list = /^services=\$\{BUS_SERVICES:-([^}]*)\}$/m.exec(text);
    const doc = /^(#\s+BUS_SERVICES\s+services \(default ")([^"]*)("\))$/m.exec(text);
    if (!list || !doc) return undefined;
    return text.replace(list[0], `services=\${BUS_SERVICES:-${list[1]} ${name}}`).replace(doc[0], `${doc[1]}${doc[2]} ${name}${doc[3]}`);
  });
}
