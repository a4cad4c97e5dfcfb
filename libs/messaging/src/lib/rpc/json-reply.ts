/**
 * A reply's data already written as JSON text (built by Postgres, say): RpcServer sends the text
 * as the reply's `data` as it is, without reading it back or checking it against the contract
 * again. Reading a 25-deal page into objects, mapping it and writing it out again was about a
 * third of the serving side's CPU per board page. The producer vouches for the contract: its
 * tests check its text against the contract's schema.
 */
export class JsonReply<T = unknown> {
  /** The data's type (never set): a handler's JsonReply must be of its contract's response. */
  declare private readonly data?: T;

  /**
   * @param version the record's version when the data is one record (a GET by id): it travels
   *   beside the data (RpcServer), so an edge that hands the data on unread still sets its ETag.
   */
  constructor(
    readonly json: string,
    readonly version?: number,
  ) {}

  /** As the data itself where a reply is serialized whole (a command's stored reply). */
  toJSON(): T {
    return JSON.parse(this.json) as T;
  }
}
