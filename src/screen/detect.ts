// Asks the terminal which graphics protocol it speaks, once, before the UI starts: the kitty query
// and DA1 (every terminal answers DA1, so its reply bounds the wait); a deadline covers the rest.
import { GRAPHICS_QUERY, graphicsChoice, needsQuery, queryComplete, type GraphicsChoice } from './graphics.js';

export async function detectGraphics(
  env: NodeJS.ProcessEnv,
  stdin: NodeJS.ReadStream,
  stdout: NodeJS.WriteStream,
  deadlineMs = 500,
): Promise<GraphicsChoice> {
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
