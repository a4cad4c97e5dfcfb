import { validationFailed } from '@crm/contracts';
import { InboundEmailRefused } from './inbound-email';

/** A refused email answers VALIDATION_FAILED naming `raw`, with the refusal's stable code as the code. */
export async function refusedAsValidation<T>(receive: () => Promise<T>): Promise<T> {
  try {
    return await receive();
  } catch (error) {
    if (error instanceof InboundEmailRefused) throw validationFailed([{ path: 'raw', message: error.message, code: error.code }], error.message);
    throw error;
  }
}
