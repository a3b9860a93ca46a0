export { channel, syncChannel } from './channel.js';
export { Sender } from './sender.js';
export { SyncSender } from './sync-sender.js';
export { Receiver } from './receiver.js';
export type { TryRecvResult } from './receiver.js';
