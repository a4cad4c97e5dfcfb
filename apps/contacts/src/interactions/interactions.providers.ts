import { InteractionRepository } from './interaction.repository';
import { ListInteractionsHandler } from './list-interactions/list-interactions.handler';
import { ListInteractionsService } from './list-interactions/list-interactions.service';
import { LogInteractionHandler } from './log-interaction/log-interaction.handler';
import { LogInteractionService } from './log-interaction/log-interaction.service';
import { EmailEngagedHandler } from './record-email-engagement/email-engaged.handler';
import { RecordEmailEngagementService } from './record-email-engagement/record-email-engagement.service';

export const interactionProviders = [InteractionRepository, LogInteractionService, ListInteractionsService, RecordEmailEngagementService];

/** The area's message handlers: controllers, so Nest registers their @OnRpc / @OnEvent patterns. */
export const interactionControllers = [LogInteractionHandler, ListInteractionsHandler, EmailEngagedHandler];
