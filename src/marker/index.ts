export { notSend, notSync } from './brands.js';
export type { NotSend, NotSync, SendHandle, SyncHandle } from './brands.js';
export type { Send, IsSend, Lockable, NotSendReason, Unsendable } from './send.js';
export type { Sync, IsSync, NotSyncReason, Unshareable } from './sync.js';
export type { Owned } from './owned.js';
export { assertSend, assertNotSend, assertSync } from './assert.js';
export type { ExpectedNotSend } from './assert.js';
