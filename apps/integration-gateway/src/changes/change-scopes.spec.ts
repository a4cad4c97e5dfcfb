import { contactErased, contactMerged, dealWon, salesOrderRequested } from '@crm/contracts';
import { RecordChangesHandler } from './record-changes/record-changes.handler';
import { consumedFeedEventContracts, feedEventContracts, OWN_FEED_EVENTS, RECORDED_BY_OTHER_HANDLERS, scopeForChange } from './change-scopes';

describe('the feed events', () => {
  it('are each recorded by exactly one handler: the intake consumes all but those another handler records and this gateway publishes itself', () => {
    const consumed = consumedFeedEventContracts().map((c) => c.name);
    expect(new Set(consumed).size).toBe(consumed.length);
    expect([...consumed, ...RECORDED_BY_OTHER_HANDLERS, ...OWN_FEED_EVENTS.map((c) => c.name)].sort()).toEqual(feedEventContracts().map((c) => c.name).sort());
    for (const name of [contactMerged.name, contactErased.name, dealWon.name, salesOrderRequested.name]) expect(consumed).not.toContain(name);
    const handlerMethods = Object.getOwnPropertyNames(RecordChangesHandler.prototype).filter((key) => key !== 'constructor');
    expect(handlerMethods).toHaveLength(consumed.length);
  });

  it('need a scope each: the sales order request is for clients that may write deals', () => {
    expect(scopeForChange(salesOrderRequested.name)).toBe('deals:write');
    expect(feedEventContracts().filter((c) => !scopeForChange(c.name)).map((c) => c.name)).toEqual([]);
  });
});
