import { providerTargets } from './providers';
import { describeRemoteStoreContract } from './remote-store-contract';

for (const target of providerTargets()) describeRemoteStoreContract(target);
