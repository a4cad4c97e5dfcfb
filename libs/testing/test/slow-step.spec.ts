import { warnIfSlow } from '../src';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('warnIfSlow', () => {
  let written: jest.SpyInstance;
  beforeEach(() => (written = jest.spyOn(process.stderr, 'write').mockImplementation(() => true)));
  afterEach(() => written.mockRestore());

  it('names a step still running after the time given, and hands on its result', async () => {
    await expect(warnIfSlow('closing the app', () => pause(150).then(() => 'closed'), 20)).resolves.toBe('closed');
    expect(written).toHaveBeenCalledWith('@crm/testing: closing the app is still running after 20 ms\n');
  });

  it('says nothing of a step that ends in time, and passes its failure on', async () => {
    await expect(warnIfSlow('dropping the database', () => Promise.reject(new Error('gone')), 50)).rejects.toThrow('gone');
    await pause(100);
    expect(written).not.toHaveBeenCalled();
  });
});
