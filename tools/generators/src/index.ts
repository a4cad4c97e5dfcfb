export { serviceGenerator } from './service/generator';
export type { ServiceGeneratorOptions } from './service/options';
