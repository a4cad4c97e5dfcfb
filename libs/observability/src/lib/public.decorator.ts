import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC_KEY = 'isPublic';

/** Marks a route or controller as reachable without authentication (auth guards read IS_PUBLIC_KEY). */
export const Public = () => SetMetadata(IS_PUBLIC_KEY, true);
