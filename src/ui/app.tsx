import { Box, Text, useApp, useInput, useWindowSize } from 'ink';
import { useCallback, useRef, useState } from 'react';
import type { HelperClientFactory } from '../rpc/client.js';
import { Banner } from './components/Banner.js';
import { Footer } from './components/Footer.js';
import { Header } from './components/Header.js';
import { HelpOverlay } from './components/HelpOverlay.js';
import { VmTable } from './components/VmTable.js';
import { useHelper, type HelperState } from './hooks/useHelper.js';
import { Command, commandForKey, footerHints, helpEntries } from './keys.js';
import type { Theme } from './theme.js';

export interface AppProps {
  clientFactory: HelperClientFactory;
  theme: Theme;
  /** Called after the helper has been shut down, just before the app unmounts. */
  onExit?: () => void;
}

export function statusLine(state: HelperState): string | undefined {
  switch (state.status) {
    case 'starting':
      return 'Starting the helper…';
    case 'initializing':
      return 'Connecting to the helper…';
    case 'readingHost':
      return 'Reading host facts…';
    case 'stopping':
      return 'Stopping the helper…';
    default:
      return undefined;
  }
}

export function App({ clientFactory, theme, onExit }: AppProps) {
  const { exit } = useApp();
  const { columns, rows } = useWindowSize();
  const { state, shutdown } = useHelper(clientFactory);
  const [helpOpen, setHelpOpen] = useState(false);
  const quitting = useRef(false);

  const quit = useCallback(async () => {
    if (quitting.current) return;
    quitting.current = true;
    await shutdown();
    onExit?.();
    exit();
  }, [shutdown, onExit, exit]);

  useInput((input, key) => {
    switch (commandForKey(input, key)) {
      case Command.ToggleHelp:
        setHelpOpen((open) => !open);
        break;
      case Command.CloseHelp:
        setHelpOpen(false);
        break;
      case Command.Quit:
        void quit();
        break;
      default:
        break;
    }
  });

  const width = Math.max(20, columns);
  return (
    <Box flexDirection="column" width={width} height={rows}>
      <Header width={width} theme={theme} init={state.init} host={state.host} />
      {state.error ? <Banner width={width} theme={theme} message={state.error} /> : null}
      <Box marginTop={1} flexDirection="column" flexGrow={1}>
        {helpOpen ? (
          <HelpOverlay width={width} theme={theme} entries={helpEntries()} />
        ) : state.status === 'ready' ? (
          <VmTable width={width} theme={theme} vms={[]} />
        ) : null}
      </Box>
      <Box>
        <Footer width={width} theme={theme} hints={footerHints()} status={statusLine(state)} />
      </Box>
    </Box>
  );
}
