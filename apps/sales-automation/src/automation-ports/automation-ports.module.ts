import { Global, Module } from '@nestjs/common';
import { AutomationEvents } from './automation-events';

/**
 * The seams between the automation features (email, sequences, campaigns, rules): global so
 * each feature module reaches them without importing the others. EmailDispatch,
 * SequenceEnrolments and EmailLinkTracking are provided by their own modules and looked up
 * with ModuleRef (`{ strict: false }`) where used, so a feature works, and is tested, alone.
 */
@Global()
@Module({ providers: [AutomationEvents], exports: [AutomationEvents] })
export class AutomationPortsModule {}
