import { Global, Module } from '@nestjs/common';
import { RedisAnswers } from './redis-answers';

/** One RedisAnswers for the whole gateway: every request path's Redis commands share its deadline windows. */
@Global()
@Module({ providers: [RedisAnswers], exports: [RedisAnswers] })
export class RedisAnswersModule {}
