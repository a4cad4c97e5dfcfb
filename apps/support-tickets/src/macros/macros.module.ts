import { Module } from '@nestjs/common';
import { TicketsModule } from '../tickets/tickets.module';
import { ApplyMacroHandler } from './apply-macro/apply-macro.handler';
import { ApplyMacroService } from './apply-macro/apply-macro.service';
import { MacroRepository } from './macro.repository';
import { ManageMacrosHandler } from './manage-macros/manage-macros.handler';

/** Macros: canned replies that also set fields, applied to a ticket in one step. */
@Module({ imports: [TicketsModule], controllers: [ManageMacrosHandler, ApplyMacroHandler], providers: [MacroRepository, ApplyMacroService] })
export class MacrosModule {}
