import { nameBasedUuid } from '../../shared/name-based-uuid';

/** The same uuid for the same lead and step, every time: what a retried conversion passes so the step it repeats makes nothing new. */
export function derivedId(leadId: string, step: string): string {
  return nameBasedUuid(`lead-conversion:${leadId}:${step}`);
}
