/** An email as it came in, parsed and classified; what the ticketing needs of it and nothing more. */
export interface InboundEmail {
  /** The sender's own Message-ID (made up from the content when the sender sent none). */
  messageId: string;
  /** Message-IDs it answers: In-Reply-To first, then References newest first. */
  answers: string[];
  from: { address: string; name: string | null };
  /** Every recipient address (To, Cc, Delivered-To, X-Original-To), lower case. */
  recipients: string[];
  subject: string;
  /** The whole plain text (from the HTML when it had only HTML). */
  text: string;
  /** The text without quoted history and signature: what a reply adds to the thread. */
  newText: string;
  attachments: InboundAttachment[];
  /** normal; auto-reply (out of office, list mail: never opens a ticket); bounce (a delivery report). */
  kind: 'normal' | 'auto-reply' | 'bounce';
  /** A bounce's failed message's Message-ID and the report's status, when the report names them. */
  bounce?: { originalMessageId: string | null; recipient: string | null; status: string | null };
  /** The X-Loop marks it carries (ours means it went round). */
  loopMarks: string[];
}

export interface InboundAttachment {
  filename: string;
  contentType: string;
  size: number;
  inline: boolean;
  contentId: string | null;
  content: Buffer;
}

/** Why a message is refused; each has a stable code and an SMTP reply code. */
export const REFUSALS = {
  EMAIL_TOO_LARGE: { smtp: 552, message: 'The message is larger than this mailbox takes.' },
  TOO_MANY_ATTACHMENTS: { smtp: 552, message: 'The message has more attachments than this mailbox takes.' },
  NO_SENDER: { smtp: 554, message: 'The message has no sender address (From) that can be read.' },
  UNKNOWN_MAILBOX: { smtp: 550, message: 'No such mailbox here.' },
} as const;
export type RefusalCode = keyof typeof REFUSALS;

export class InboundEmailRefused extends Error {
  constructor(
    readonly code: RefusalCode,
    detail?: string,
  ) {
    super(detail ? `${REFUSALS[code].message} ${detail}` : REFUSALS[code].message);
    this.name = 'InboundEmailRefused';
  }
}

export interface InboundLimits {
  maxBytes: number;
  maxAttachments: number;
}
