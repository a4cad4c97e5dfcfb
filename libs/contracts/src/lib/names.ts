/** A message name is `<service>.<entity>.<action>.v<version>`, e.g. `contacts.contact.created.v1`. */
export const MESSAGE_NAME_PATTERN = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+\.v[1-9][0-9]*$/;

export function versionedName(type: string, version: number): string {
  if (!Number.isInteger(version) || version < 1) {
    throw new Error(`message version must be a positive integer, got ${version} for ${type}`);
  }
  const name = `${type}.v${version}`;
  if (!MESSAGE_NAME_PATTERN.test(name)) {
    throw new Error(`invalid message name "${name}": expected <service>.<entity>.<action>.v<version>`);
  }
  return name;
}

/** The service that owns a message is the first segment of its name. */
export function owningService(name: string): string {
  return name.slice(0, name.indexOf('.'));
}
