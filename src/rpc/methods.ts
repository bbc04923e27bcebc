// Every method of protocol v1 with its decoders, across the protocol's area files.
import { methodCodecs, type MethodCodec } from './protocol.js';
import { installMethodCodecs } from './protocolInstall.js';
import { statsMethodCodecs } from './protocolStats.js';

export const allMethodCodecs: Record<string, MethodCodec> = {
  ...methodCodecs,
  ...statsMethodCodecs,
  ...installMethodCodecs,
};
