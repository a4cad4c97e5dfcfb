import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { REDIS, RedisClient } from '@crm/observability';
import { AppConfig } from '../../app.config';
import { RedisAnswers } from '../../redis/redis-answers';

/** What a chat's sockets are told: a line said, or the chat ended. */
export interface ChatBroadcast {
  chatId: string;
  event: 'line' | 'ended';
  data: unknown;
}

/**
 * Carries what is said in a chat to every gateway replica: the replica that stored a line (through
 * the support-tickets service) publishes it on one Redis channel, and each replica hands it to the
 * sockets of that chat it holds. Live relay only: the service has already stored the line, and a
 * client that reconnects reads the chat again. So a publish Redis does not take (down, or no
 * answer within GATEWAY_REDIS_DEADLINE_MS) is logged, not failed: the speaker is not told to say
 * again what is stored, and is not held.
 */
@Injectable()
export class ChatRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ChatRelay.name);
  private readonly channel: string;
  private subscriber: RedisClient | undefined;
  private readonly listeners = new Set<(message: ChatBroadcast) => void>();

  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    private readonly answers: RedisAnswers,
    config: AppConfig,
  ) {
    this.channel = `${config.AUTH_REDIS_PREFIX}chat`;
  }

  async onApplicationBootstrap(): Promise<void> {
    // A subscribed connection takes no other commands: a connection of its own.
    const subscriber = this.redis.duplicate();
    subscriber.on('error', (error: Error) => this.logger.warn(`chat relay connection: ${error.message}`));
    await subscriber.connect();
    await subscriber.subscribe(this.channel, (raw) => {
      let message: ChatBroadcast;
      try {
        message = JSON.parse(raw) as ChatBroadcast;
      } catch {
        return;
      }
      for (const listener of this.listeners) listener(message);
    });
    this.subscriber = subscriber as RedisClient;
  }

  async onApplicationShutdown(): Promise<void> {
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    if (subscriber?.isOpen) await subscriber.close().catch(() => subscriber.destroy());
  }

  onMessage(listener: (message: ChatBroadcast) => void): void {
    this.listeners.add(listener);
  }

  async publish(message: ChatBroadcast): Promise<void> {
    try {
      await this.answers.of(this.redis.publish(this.channel, JSON.stringify(message)));
    } catch (error) {
      this.logger.warn(`chat ${message.chatId}: its ${message.event} is stored but was not relayed live (${(error as Error).message})`);
    }
  }
}
