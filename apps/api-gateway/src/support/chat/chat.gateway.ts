import { Logger } from '@nestjs/common';
import { ConnectedSocket, MessageBody, OnGatewayConnection, OnGatewayDisconnect, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import type { IncomingMessage } from 'node:http';
import { Actor, ChatParticipant, endChat, getChat, postChatLine, startChat } from '@crm/contracts';
import { RemoteError } from '@crm/messaging';
import { NotRateLimited, Public } from '@crm/observability';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import { portalActor } from '../../authz/current-customer.decorator';
import { ServiceBus } from '../../edge/service-bus';
import { ChatBroadcast, ChatRelay } from './chat-relay';
import { ChatCaller, ChatSocketCaller } from './chat-socket-caller';
import { ChatSocketError, chatSocketMessages, invalidMessage } from './chat.messages';

type Reply = { event: string; data: unknown } | ChatSocketError | undefined;

/**
 * Live chat over WebSocket at /api/v1/chat (`{ "event", "data" }` JSON frames). The socket is
 * authenticated once, at its handshake (ChatSocketCaller: a portal customer, or a user who works
 * tickets), so the HTTP guards stand aside (@Public: they read HTTP requests); every message then
 * acts for that caller only. Lines are stored by the support-tickets service before anyone sees
 * them, and relayed to the chat's sockets on every replica (ChatRelay, Redis pub/sub).
 */
@Public()
@NotRateLimited()
@WebSocketGateway({ path: '/api/v1/chat' })
export class ChatGateway implements OnGatewayConnection, OnGatewayDisconnect {
  private readonly logger = new Logger(ChatGateway.name);
  private readonly callers = new WeakMap<WebSocket, Promise<ChatCaller | null>>();
  private readonly rooms = new Map<string, Set<WebSocket>>();
  private readonly joined = new WeakMap<WebSocket, Set<string>>();

  constructor(
    private readonly bus: ServiceBus,
    private readonly socketCaller: ChatSocketCaller,
    private readonly relay: ChatRelay,
  ) {
    relay.onMessage((message) => this.deliver(message));
  }

  handleConnection(socket: WebSocket, request: IncomingMessage): void {
    const caller = this.socketCaller.of(request).then(
      (result) => {
        if ('refused' in result) {
          socket.close(result.refused, result.reason);
          return null;
        }
        return result;
      },
      (error: unknown) => {
        this.logger.error(`chat socket not authenticated: ${(error as Error).message}`);
        socket.close(1011, 'try again');
        return null;
      },
    );
    this.callers.set(socket, caller);
  }

  handleDisconnect(socket: WebSocket): void {
    for (const chatId of this.joined.get(socket) ?? []) {
      const room = this.rooms.get(chatId);
      room?.delete(socket);
      if (room?.size === 0) this.rooms.delete(chatId);
    }
  }

  @SubscribeMessage('start')
  start(@ConnectedSocket() socket: WebSocket, @MessageBody() data: unknown): Promise<Reply> {
    return this.act(socket, 'start', data, async (caller, { subject }) => {
      if (caller.kind !== 'customer') return refusal('start', 'FORBIDDEN', 'Only a portal customer starts a chat.');
      const chat = await this.bus.call(startChat, { customer: { email: caller.email }, subject }, actorOf(caller));
      this.join(socket, chat.id);
      return { event: 'chat', data: { ...chat, lines: [] } };
    });
  }

  @SubscribeMessage('join')
  joinChat(@ConnectedSocket() socket: WebSocket, @MessageBody() data: unknown): Promise<Reply> {
    return this.act(socket, 'join', data, async (caller, { chatId }) => {
      const chat = await this.bus.call(getChat, { id: chatId, participant: participantOf(caller) }, actorOf(caller));
      this.join(socket, chatId);
      return { event: 'chat', data: chat };
    });
  }

  @SubscribeMessage('say')
  say(@ConnectedSocket() socket: WebSocket, @MessageBody() data: unknown): Promise<Reply> {
    return this.act(socket, 'say', data, async (caller, { chatId, body }) => {
      const line = await this.bus.call(postChatLine, { id: chatId, participant: participantOf(caller), body }, actorOf(caller));
      this.join(socket, chatId);
      await this.relay.publish({ chatId, event: 'line', data: line });
      return undefined;
    });
  }

  @SubscribeMessage('end')
  end(@ConnectedSocket() socket: WebSocket, @MessageBody() data: unknown): Promise<Reply> {
    return this.act(socket, 'end', data, async (caller, { chatId }) => {
      const chat = await this.bus.call(endChat, { id: chatId, participant: participantOf(caller) }, actorOf(caller));
      await this.relay.publish({ chatId, event: 'ended', data: chat });
      return undefined;
    });
  }

  /** Validates the message, waits for the socket's caller, runs it; a refusal or failure is an `error` frame, never a dropped socket. */
  private async act<K extends keyof typeof chatSocketMessages>(
    socket: WebSocket,
    event: K,
    data: unknown,
    work: (caller: ChatCaller, input: z.infer<(typeof chatSocketMessages)[K]>) => Promise<Reply>,
  ): Promise<Reply> {
    const caller = await this.callers.get(socket);
    if (!caller) return undefined;
    const parsed = chatSocketMessages[event].safeParse(data);
    if (!parsed.success) return invalidMessage(event, parsed.error);
    try {
      return await work(caller, parsed.data as z.infer<(typeof chatSocketMessages)[K]>);
    } catch (error) {
      if (error instanceof RemoteError) return refusal(event, error.code, error.message);
      this.logger.error(`chat ${event} failed: ${(error as Error).message}`);
      return refusal(event, 'SERVICE_UNAVAILABLE', 'The chat is unavailable; try again.');
    }
  }

  private join(socket: WebSocket, chatId: string): void {
    let room = this.rooms.get(chatId);
    if (!room) this.rooms.set(chatId, (room = new Set()));
    room.add(socket);
    let chats = this.joined.get(socket);
    if (!chats) this.joined.set(socket, (chats = new Set()));
    chats.add(chatId);
  }

  private deliver({ chatId, event, data }: ChatBroadcast): void {
    const frame = JSON.stringify({ event, data });
    for (const socket of this.rooms.get(chatId) ?? []) if (socket.readyState === socket.OPEN) socket.send(frame);
  }
}

function actorOf(caller: ChatCaller): Actor {
  return caller.kind === 'customer' ? portalActor(caller) : { tenantId: caller.user.tenantId, userId: caller.user.userId, roles: caller.user.roles };
}

function participantOf(caller: ChatCaller): ChatParticipant {
  return caller.kind === 'customer' ? { type: 'customer', email: caller.email } : { type: 'agent', userId: caller.user.userId };
}

function refusal(request: string, code: string, message: string): ChatSocketError {
  return { event: 'error', data: { code, message, request } };
}
