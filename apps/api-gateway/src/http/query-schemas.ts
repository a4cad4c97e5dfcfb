import { z } from 'zod';

/** Query-string pieces: everything arrives as a string. */
export const queryBoolean = z.enum(['true', 'false'], { message: 'must be true or false' }).transform((value) => value === 'true');

export const queryLimit = z.coerce.number().int().min(1).max(100).default(25);

export const uuidParam = z.uuid({ message: 'must be a UUID' });
