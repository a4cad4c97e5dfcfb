import { Injectable, Module } from '@nestjs/common';
import { ApplicationConfig, HttpAdapterHost } from '@nestjs/core';
import { WsAdapter } from '@nestjs/platform-ws';
import { AuthModule } from '../../auth/auth.module';
import { ChatGateway } from './chat.gateway';
import { ChatRelay } from './chat-relay';
import { ChatSocketCaller } from './chat-socket-caller';

/**
 * Serves the chat's WebSocket with `ws` on the app's own HTTP server (the upgrade of its path
 * only). Set by the module that needs it, when the app is created: however the app is built
 * (main.ts, a test), Nest never falls back to loading socket.io, which is not installed.
 */
@Injectable()
class WebSocketAdapterSetting {
  constructor(config: ApplicationConfig, host: HttpAdapterHost) {
    if (!config.getIoAdapter()) config.setIoAdapter(new WsAdapter(host.httpAdapter.getHttpServer()));
  }
}

/** Live chat's WebSocket (/api/v1/chat) and its relay between replicas. */
@Module({ imports: [AuthModule], providers: [WebSocketAdapterSetting, ChatGateway, ChatSocketCaller, ChatRelay] })
export class ChatModule {}
