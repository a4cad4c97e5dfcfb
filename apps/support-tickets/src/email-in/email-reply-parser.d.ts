// email-reply-parser 1.x (CommonJS; 2.x is ESM only) ships no types: the part used here.
declare module 'email-reply-parser' {
  class EmailReplyParser {
    read(text: string): { getVisibleText(): string };
  }
  export = EmailReplyParser;
}
