import { Module } from '@nestjs/common';
import { EchoController } from './echo/echo.controller';
import { EchoService } from './echo/echo.service';

/** Diagnostics routes: reach a service over the bus and show what comes back. */
@Module({ controllers: [EchoController], providers: [EchoService] })
export class DiagnosticsModule {}
