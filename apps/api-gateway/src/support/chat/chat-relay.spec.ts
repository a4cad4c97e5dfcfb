import { Logger } from '@nestjs/common';
import type { RedisClient } from '@crm/observability';
import type { HoldingProxy } from '@crm/testing';
import { AppConfig } from '../../app.config';
import { RedisAnswers } from '../../redis/redis-answers';
import { ChatBroadcast, ChatRelay } from './chat-relay';
import { RedisBehindProxy, redisBehindProxy } from '../../testing/redis-behind-proxy';

/** The live relay of chat lines between gateway replicas, on a real Redis behind a proxy that can hold its answers. */
describe('ChatRelay', () => {
  const config = AppConfig.load({ GATEWAY_REDIS_DEADLINE_MS: '300', AUTH_REDIS_PREFIX: `t${Date.now()}:` });
  let behindProxy: RedisBehindProxy<RedisClient>;
  let proxy: HoldingProxy;
  let speaker: ChatRelay;
  let listener: ChatRelay;
  const heard: ChatBroadcast[] = [];

  beforeAll(async () => {
    behindProxy = await redisBehindProxy<RedisClient>();
    proxy = behindProxy.proxy;
    const { redis } = behindProxy;
    const answers = new RedisAnswers(config);
    // Two replicas' relays on the same channel: the speaker's publish reaches the listener's sockets.
    speaker = new ChatRelay(redis, answers, config);
    listener = new ChatRelay(redis, answers, config);
    await listener.onApplicationBootstrap();
    listener.onMessage((message) => heard.push(message));
  });

  afterAll(async () => {
    proxy.release();
    await listener.onApplicationShutdown();
    await behindProxy.close();
  });

  const heardOf = async (chatId: string) => {
    for (let i = 0; i < 50 && !heard.some((m) => m.chatId === chatId); i++) await new Promise((resolve) => setTimeout(resolve, 20));
    return heard.filter((m) => m.chatId === chatId);
  };

  it("carries a line to the other replicas' sockets", async () => {
    await speaker.publish({ chatId: 'chat-1', event: 'line', data: { body: 'hello' } });
    expect(await heardOf('chat-1')).toEqual([{ chatId: 'chat-1', event: 'line', data: { body: 'hello' } }]);
  });

  it('does not hold or fail the speaker when Redis does not answer: the line is stored, its live relay is logged as missed', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    proxy.hold();
    // Cleared once the race is decided: a pending 3 s timer kept jest from exiting when this file ran last.
    let timer: NodeJS.Timeout | undefined;
    try {
      const outcome = await Promise.race([
        speaker.publish({ chatId: 'chat-2', event: 'line', data: { body: 'are you there?' } }).then(() => 'returned'),
        new Promise((resolve) => (timer = setTimeout(() => resolve('still waiting after 3 s'), 3_000))),
      ]);
      expect(outcome).toBe('returned');
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^chat chat-2: its line is stored but was not relayed live/));
    } finally {
      clearTimeout(timer);
      proxy.release();
      warn.mockRestore();
    }
  });
});
