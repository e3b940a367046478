import { REGRESSIONS } from './regressions';
import { Simulation } from './simulation';

describe('simulation: cases the soak found', () => {
  for (const { name, config } of REGRESSIONS) {
    it(`holds in ${name}`, async () => {
      const simulation = new Simulation(config);
      await simulation.run();
      await simulation.checkIdempotence();
      expect(simulation.report).toEqual([]);
    });
  }
});
