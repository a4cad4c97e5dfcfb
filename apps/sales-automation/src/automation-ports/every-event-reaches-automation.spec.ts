import * as contracts from '@crm/contracts';
import { isContract, messageHandlersOf } from '@crm/messaging';
import { AppConfig } from '../app.config';
import { AppModule } from '../app.module';

/**
 * Rules trigger on any event type of any service: every event contract in libs/contracts needs a
 * handler in this service (each one hands the event to AutomationEvents). A new event contract
 * fails this until it has one.
 */
describe('every event reaches AutomationEvents', () => {
  it('has a handler for every event contract in libs/contracts', () => {
    const handled = new Set(
      messageHandlersOf(AppModule.register(AppConfig.load({}))).flatMap((h) => (h.kind === 'event' && h.contract ? [h.contract.name] : [])),
    );
    const events = Object.values<unknown>(contracts)
      .filter(isContract)
      .filter((contract) => contract.kind === 'event')
      .map((contract) => contract.name);
    expect(events.length).toBeGreaterThan(30);
    expect(events.filter((name) => !handled.has(name))).toEqual([]);
  });
});
