import { Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { z } from 'zod';
import { envPort } from './env-schemas';
import { TypedConfig } from './typed-config';
import { TypedConfigModule } from './typed-config.module';

class TestConfig extends TypedConfig(z.object({ PORT: envPort().default(3000), NAME: z.string() })) {}

@Injectable()
class NeedsConfig {
  constructor(readonly config: TestConfig) {}
}

describe('TypedConfigModule', () => {
  it('injects the validated config by its class', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [TypedConfigModule.register(TestConfig, { env: { NAME: 'crm' } })],
      providers: [NeedsConfig],
    }).compile();

    const { config } = moduleRef.get(NeedsConfig);
    expect(config.PORT).toBe(3000);
    expect(config.NAME).toBe('crm');
  });

  it('can provide values that were loaded before the app was built', async () => {
    const values = TestConfig.load({ NAME: 'preloaded', PORT: '4000' });
    const moduleRef = await Test.createTestingModule({
      imports: [TypedConfigModule.register(TestConfig, { values })],
    }).compile();

    expect(moduleRef.get(TestConfig)).toBe(values);
  });

  it('fails to compile with the ConfigError when the env is invalid', async () => {
    await expect(
      Test.createTestingModule({
        imports: [TypedConfigModule.register(TestConfig, { env: {} })],
      }).compile(),
    ).rejects.toThrow('NAME: is required but not set');
  });
});
