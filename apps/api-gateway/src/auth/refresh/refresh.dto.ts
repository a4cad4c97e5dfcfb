import { z } from 'zod';

export const refreshSchema = z.object({
  refreshToken: z.string().min(1).max(512),
});
export type RefreshDto = z.output<typeof refreshSchema>;
