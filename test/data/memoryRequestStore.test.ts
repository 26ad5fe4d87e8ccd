import { MemoryRequestStore } from '../../data/memoryRequestStore.js';
import { describeRequestStoreContract } from './requestStoreContract.js';

describeRequestStoreContract('MemoryRequestStore', async () => new MemoryRequestStore());
