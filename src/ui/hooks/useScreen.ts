// One VM's screen for the screen view: asks the helper for frames already scaled to the view
// (columns × rows·2 pixels) a few times a second, keeps the cells of the last one, and sends keys.
// A frame the helper reports unchanged (same digest) costs no redraw.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useAnswerScope } from './useAnswerScope.js';
import type { HelperApi } from '../../rpc/api.js';
import { errorSentence } from '../../rpc/errors.js';
import { vmScreenFrameRequest, vmSendKeysRequest } from '../../rpc/protocol.js';
import { fitFrame, frameToCells, type ColorMode } from '../../screen/cells.js';

/** Between the end of one frame request and the next: about 10 frames a second where a grab takes ~20 ms. */
export const FRAME_INTERVAL_MS = 80;

export interface ScreenState {
  lines: string[];
  /** The guest's own screen size, once a frame has come. */
  source?: { width: number; height: number };
  /** Why there is no picture (no display, stopped, …). */
  error?: string;
  frames: number;
}

export interface UseScreen {
  state: ScreenState;
  /** Sends key names (screen/keys.ts) in order. */
  send(keys: string[]): void;
}

export function useScreen(client: HelperApi | undefined, name: string | undefined, columns: number, rows: number, mode: ColorMode): UseScreen {
  const [state, setState] = useState<ScreenState>({ lines: [], frames: 0 });
  const sending = useRef<Promise<void>>(Promise.resolve());
  // A frame asked for a screen no longer shown (or at another size) is cancelled.
  const scope = useAnswerScope([client, name, columns, rows, mode]);

  useEffect(() => {
    setState({ lines: [], frames: 0 });
    if (!client || name === undefined) return;
    const signal = scope();
    let timer: NodeJS.Timeout | undefined;
    let previous: string | undefined;
    // The guest's size, learnt from the first frame: later frames keep its aspect ratio.
    let size = { width: columns, height: rows * 2 };
    const next = async () => {
      try {
        const frame = await client.request(
          vmScreenFrameRequest,
          { name, ...size, ...(previous !== undefined ? { previous } : {}) },
          { signal: signal },
        );
        if (signal.aborted) return;
        const fit = fitFrame(frame.sourceWidth, frame.sourceHeight, columns, rows * 2);
        if (fit.width !== size.width || fit.height !== size.height) {
          size = fit;
          previous = undefined;
        }
        if (frame.rgbBase64 !== undefined) {
          previous = frame.digest;
          const rgb = Buffer.from(frame.rgbBase64, 'base64');
          const lines = frameToCells(rgb, frame.width, frame.height, frame.width, Math.ceil(frame.height / 2), mode);
          setState((s) => ({ lines, source: { width: frame.sourceWidth, height: frame.sourceHeight }, frames: s.frames + 1 }));
        }
      } catch (error) {
        if (signal.aborted) return;
        previous = undefined;
        setState((s) => ({ ...s, error: errorSentence(error) }));
      }
      timer = setTimeout(() => void next(), FRAME_INTERVAL_MS);
    };
    void next();
    return () => {
      if (timer) clearTimeout(timer);
    };
  }, [client, name, columns, rows, mode, scope]);

  const send = useCallback(
    (keys: string[]) => {
      if (!client || name === undefined || keys.length === 0) return;
      sending.current = sending.current.then(async () => {
        try {
          await client.request(vmSendKeysRequest, { name, keys });
        } catch (error) {
          setState((s) => ({ ...s, error: errorSentence(error) }));
        }
      });
    },
    [client, name],
  );
  return { state, send };
}
