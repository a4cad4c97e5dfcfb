import { echoRequestSchema } from '@crm/contracts';
import { z } from 'zod';

/** `?payload=...`: the same limits the services' echo contract enforces, checked here first for a 400 naming the field. */
export const echoQuerySchema = z.object({ payload: echoRequestSchema.shape.payload });
export type EchoQuery = z.output<typeof echoQuerySchema>;
