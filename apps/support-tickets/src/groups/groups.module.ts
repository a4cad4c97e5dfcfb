import { Module } from '@nestjs/common';
import { TicketsModule } from '../tickets/tickets.module';
import { TicketAssigner } from './assignment/ticket-assigner';
import { GroupRepository } from './group.repository';
import { GroupView } from './group-view';
import { ManageGroupsHandler } from './manage-groups/manage-groups.handler';
import { GroupMembersHandler } from './members/group-members.handler';

/** Groups (queues), their agents and availability, and automatic assignment (round robin, fewest open). */
@Module({
  imports: [TicketsModule],
  controllers: [ManageGroupsHandler, GroupMembersHandler],
  providers: [GroupRepository, GroupView, TicketAssigner],
  exports: [TicketAssigner],
})
export class GroupsModule {}
