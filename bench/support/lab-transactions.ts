import type { LabTransactions } from '../../libs/messaging/test/lab/lab.handlers';

/**
 * What the messaging lab's transactions run on in a benchmark, for the publisher here and the
 * peers it spawns alike: pg, as every service but analytics runs them; BENCH_LAB_TRANSACTIONS=prisma
 * for Prisma's, as analytics runs them.
 */
export const LAB_TRANSACTIONS: LabTransactions = process.env['BENCH_LAB_TRANSACTIONS'] === 'prisma' ? 'prisma' : 'pg';
