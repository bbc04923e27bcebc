// One VM's screen for the screen view: asks the helper for frames already scaled to the view a few
// times a second and keeps the last one drawn — as half-block cells (columns × rows·2 pixels), or as
// an image escape sequence (kitty, iTerm2, sixel) at about a cell's pixels — and sends keys. A frame
// the helper reports unchanged (same digest) costs no redraw.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { HelperApi } from '../../rpc/api.js';
import { errorSentence } from '../../rpc/errors.js';
import { vmScreenFrameRequest, vmSendKeysRequest } from '../../rpc/protocol.js';
import { fitFrame, frameToCells } from '../../screen/cells.js';
import { imageSequence, type GraphicsChoice } from '../../screen/graphics.js';

/** Pixels a cell stands for when drawing an image (a common terminal font), and an upper bound. */
const CELL = { width: 8, height: 16 };
const MAX_IMAGE = { width: 1280, height: 800 };
/** sixel is encoded here, band by band and colour by colour: a smaller picture keeps the UI responsive. */
const MAX_SIXEL = { width: 640, height: 400 };

/** Between the end of one frame request and the next: about 10 frames a second where a grab takes ~20 ms. */
export const FRAME_INTERVAL_MS = 80;

export interface ScreenState {
  lines: string[];
  /** An image escape sequence to draw over the (blank) lines, in kitty, iTerm2 or sixel mode. */
  image?: string;
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

export function useScreen(client: HelperApi | undefined, name: string | undefined, columns: number, rows: number, graphics: GraphicsChoice): UseScreen {
  const [state, setState] = useState<ScreenState>({ lines: [], frames: 0 });
  const sending = useRef<Promise<void>>(Promise.resolve());

  useEffect(() => {
    setState({ lines: [], frames: 0 });
    if (!client || name === undefined) return;
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    let previous: string | undefined;
    // The guest's size, learnt from the first frame: later frames keep its aspect ratio.
    const imageMode = graphics.mode === 'blocks' ? undefined : graphics.mode;
    const cap = imageMode === 'sixel' ? MAX_SIXEL : MAX_IMAGE;
    const room = imageMode
      ? { width: Math.min(columns * CELL.width, cap.width), height: Math.min(rows * CELL.height, cap.height) }
      : { width: columns, height: rows * 2 };
    let size = room;
    const blank = Array.from({ length: rows }, () => '');
    const next = async () => {
      try {
        const frame = await client.request(
          vmScreenFrameRequest,
          { name, ...size, ...(previous !== undefined ? { previous } : {}) },
          { signal: controller.signal },
        );
        if (controller.signal.aborted) return;
        const fit = fitFrame(frame.sourceWidth, frame.sourceHeight, room.width, room.height);
        if (fit.width !== size.width || fit.height !== size.height) {
          size = fit;
          previous = undefined;
        }
        if (frame.rgbBase64 !== undefined) {
          previous = frame.digest;
          const rgb = Buffer.from(frame.rgbBase64, 'base64');
          const source = { width: frame.sourceWidth, height: frame.sourceHeight };
          if (imageMode) {
            // The picture is stretched over as many cells as fit, keeping the guest's aspect ratio.
            const scale = Math.min((columns * CELL.width) / frame.width, (rows * CELL.height) / frame.height);
            const cells = { columns: Math.max(1, Math.floor((frame.width * scale) / CELL.width)), rows: Math.max(1, Math.floor((frame.height * scale) / CELL.height)) };
            const sequence = imageSequence(imageMode, rgb, frame.width, frame.height, cells.columns, cells.rows);
            setState((s) => ({ lines: blank, image: sequence, source, frames: s.frames + 1 }));
          } else {
            const lines = frameToCells(rgb, frame.width, frame.height, frame.width, Math.ceil(frame.height / 2), graphics.color);
            setState((s) => ({ lines, source, frames: s.frames + 1 }));
          }
        }
      } catch (error) {
        if (controller.signal.aborted) return;
        previous = undefined;
        setState((s) => ({ ...s, error: errorSentence(error) }));
      }
      timer = setTimeout(() => void next(), FRAME_INTERVAL_MS);
    };
    void next();
    return () => {
      controller.abort();
      if (timer) clearTimeout(timer);
    };
  }, [client, name, columns, rows, graphics]);

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
