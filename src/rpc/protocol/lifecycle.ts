// Protocol v1, "Lifecycle" (helper/PROTOCOL.md; Swift: Lifecycle.swift): initialize, shutdown, exit.
import { request, requestWithoutParams, notificationWithoutParams } from '../declare.js';
import { arrayOf, bool, num, object, oneOf, str, type Decoder } from '../decode.js';
import { decodeArch, decodeNull, decodePlatform, type Arch, type Platform } from './common.js';

export const PROTOCOL_VERSION = 1;

export type Backend = 'qemu' | 'vz';

export interface InitializeParams {
  clientName: string;
  clientVersion: string;
  protocolVersion: number;
}

export interface Capabilities {
  methods: string[];
  macosGuests: boolean;
  linuxGuests: boolean;
  saveRestore: boolean;
}

export interface InitializeResult {
  helperVersion: string;
  // A number, not the literal 1, so a mismatch reaches the client's clear check.
  protocolVersion: number;
  platform: Platform;
  arch: Arch;
  backend: Backend;
  capabilities: Capabilities;
}

export const decodeInitializeParams: Decoder<InitializeParams> = object<InitializeParams>({
  clientName: str,
  clientVersion: str,
  protocolVersion: num,
});

export const decodeInitializeResult: Decoder<InitializeResult> = object<InitializeResult>({
  helperVersion: str,
  protocolVersion: num,
  platform: decodePlatform,
  arch: decodeArch,
  backend: oneOf('qemu', 'vz'),
  capabilities: object<Capabilities>({
    methods: arrayOf(str),
    macosGuests: bool,
    linuxGuests: bool,
    saveRestore: bool,
  }),
});

export const initializeRequest = request('initialize', decodeInitializeParams, decodeInitializeResult);
export const shutdownRequest = requestWithoutParams('shutdown', decodeNull);
export const exitNotification = notificationWithoutParams('exit');
