import { Module } from '@nestjs/common';
import { PortalModule } from '../portal/portal.module';
import { TicketsModule } from '../tickets/tickets.module';
import { ChatRepository } from './chat.repository';
import { EndChatHandler } from './end-chat/end-chat.handler';
import { EndChatService } from './end-chat/end-chat.service';
import { GetChatHandler } from './get-chat/get-chat.handler';
import { PostChatLineHandler } from './post-line/post-line.handler';
import { StartChatHandler } from './start-chat/start-chat.handler';

/** Live chat's record: sessions, their lines, and the transcript on the ticket (the gateway carries the WebSocket). */
@Module({
  imports: [PortalModule, TicketsModule],
  controllers: [StartChatHandler, GetChatHandler, PostChatLineHandler, EndChatHandler],
  providers: [ChatRepository, EndChatService],
})
export class ChatModule {}
