// Asks the terminal which graphics protocol it speaks, once: the kitty query and DA1 (every terminal
// answers DA1, so its reply bounds the wait); a deadline covers the rest. uiEntry.ts asks before the
// UI loads, so the answer travels while Ink and React load; the first frame does not wait for it
// (tui.tsx), only the keys do.
import { besideReplies, GRAPHICS_QUERY, graphicsChoice, needsQuery, queryComplete, type GraphicsChoice } from './graphics.js';

let asked: Promise<GraphicsChoice> | undefined;
let known: GraphicsChoice | undefined;

/** Sends the query now; detectGraphics later gives this answer instead of asking again. */
export function startGraphicsDetection(env: NodeJS.ProcessEnv, stdin: NodeJS.ReadStream, stdout: NodeJS.WriteStream, deadlineMs = 500): void {
  if (asked) return;
  asked = ask(env, stdin, stdout, deadlineMs);
  void asked.then((choice) => (known = choice));
}

/** The answer to the query sent at start, if it is in. */
export function knownGraphics(): GraphicsChoice | undefined {
  return known;
}

/** The answer to the query sent at start, or to one sent now. */
export function detectGraphics(env: NodeJS.ProcessEnv, stdin: NodeJS.ReadStream, stdout: NodeJS.WriteStream, deadlineMs = 500): Promise<GraphicsChoice> {
  return asked ?? ask(env, stdin, stdout, deadlineMs);
}

async function ask(env: NodeJS.ProcessEnv, stdin: NodeJS.ReadStream, stdout: NodeJS.WriteStream, deadlineMs: number): Promise<GraphicsChoice> {
  if (!needsQuery(env) || !stdin.isTTY || !stdout.isTTY) return graphicsChoice(env, '');
  const wasRaw = stdin.isRaw;
  stdin.setRawMode(true);
  let reply = '';
  return await new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      stdin.off('data', onData);
      stdin.setRawMode(wasRaw);
      stdin.pause();
      // Keys typed while the answer travelled (the first frame is up by then) are read next, as keys.
      const typed = besideReplies(reply);
      if (typed !== '') stdin.unshift(Buffer.from(typed, 'latin1'));
      resolve(graphicsChoice(env, reply));
    };
    const onData = (data: Buffer) => {
      reply += data.toString('latin1');
      if (queryComplete(reply)) done();
    };
    const timer = setTimeout(done, deadlineMs);
    stdin.on('data', onData);
    stdin.resume();
    stdout.write(GRAPHICS_QUERY);
  });
}
