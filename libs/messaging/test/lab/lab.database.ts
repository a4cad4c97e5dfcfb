import { DynamicModule, Global, Inject, Injectable, Module, OnModuleDestroy } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client';

export const LAB_DATABASE_URL = Symbol('LAB_DATABASE_URL');

@Injectable()
export class LabPrisma extends PrismaClient implements OnModuleDestroy {
  constructor(@Inject(LAB_DATABASE_URL) url: string) {
    super({ adapter: new PrismaPg({ connectionString: url, max: 20 }) });
  }
  async onModuleDestroy() {
    await this.$disconnect();
  }
}

@Global()
@Module({})
export class LabDatabaseModule {
  static forUrl(url: string): DynamicModule {
    return {
      module: LabDatabaseModule,
      providers: [{ provide: LAB_DATABASE_URL, useValue: url }, LabPrisma],
      exports: [LabPrisma],
    };
  }
}
