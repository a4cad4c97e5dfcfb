/** What `nx g @crm/tools:service` takes (schema.json). */
export interface ServiceGeneratorOptions {
  name: string;
  port?: number;
}
