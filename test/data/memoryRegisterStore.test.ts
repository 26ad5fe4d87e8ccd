import { MemoryRegisterStore } from '../../data/memoryRegisterStore.js';
import { describeRegisterStoreContract } from './registerStoreContract.js';

describeRegisterStoreContract('MemoryRegisterStore', async () => new MemoryRegisterStore());
