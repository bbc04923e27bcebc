// Protocol v1 (helper/PROTOCOL.md), TypeScript side: everything from the area files under
// protocol/, which mirror helper/Sources/HelperCore/Protocol. Declare a method in its area file
// (src/rpc/declare.ts says how); change PROTOCOL.md, the Swift types and the fixtures with it.
export * from './protocol/common.js';
export * from './protocol/lifecycle.js';
export * from './protocol/host.js';
export * from './protocol/vm.js';
export * from './protocol/forward.js';
export * from './protocol/access.js';
export * from './protocol/snapshot.js';
export * from './protocol/stats.js';
export * from './protocol/ipsw.js';
export * from './protocol/install.js';
export * from './protocol/screen.js';
export * from './protocol/image.js';
export * from './protocol/share.js';
