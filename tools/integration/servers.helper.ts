import { stopLocalServers } from './local-servers';

// Real servers on loopback: slower than the in-memory remote, and the 429 tests wait a second.
jasmine.DEFAULT_TIMEOUT_INTERVAL = 30_000;

afterAll(() => stopLocalServers());
