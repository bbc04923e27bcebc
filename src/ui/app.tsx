import { homedir } from 'node:os';
import { Box, useApp, useInput, useWindowSize } from 'ink';
import { useCallback, useMemo, useRef, useState } from 'react';
import type { HelperClientFactory } from '../rpc/client.js';
import type { VMInfo } from '../rpc/protocol.js';
import { Banner } from './components/Banner.js';
import { CloneDialog, cloneDialogHeight } from './components/CloneDialog.js';
import { ConsoleView, consoleBodyRows } from './components/ConsoleView.js';
import { Dashboard } from './components/Dashboard.js';
import { Footer } from './components/Footer.js';
import { Header } from './components/Header.js';
import { HelpOverlay } from './components/HelpOverlay.js';
import { SnapshotsScreen } from './components/SnapshotsScreen.js';
import { StatusLine, statusLines } from './components/StatusLine.js';
import { Wizard } from './components/wizard/Wizard.js';
import { clampLines, wrapWords } from './format.js';
import { useClone } from './hooks/useClone.js';
import { useConsole } from './hooks/useConsole.js';
import { useHelper, type HelperState } from './hooks/useHelper.js';
import { useRawInput } from './hooks/useRawInput.js';
import { useSnapshots } from './hooks/useSnapshots.js';
import { useVms, type VmsState } from './hooks/useVms.js';
import { Command, commandForKey, footerHints, helpEntries, sequenceIndex, type KeyContext } from './keys.js';
import { fileSystemProbe, type PathProbe } from './pathCompletion.js';
import type { Theme } from './theme.js';

export interface AppProps {
  clientFactory: HelperClientFactory;
  theme: Theme;
  /** Called after the helper has been shut down, just before the app unmounts. */
  onExit?: () => void;
  /** Where the install wizard looks up and completes file paths (default: the real file system). */
  pathProbe?: PathProbe;
}

export function statusLine(state: HelperState, vms?: VmsState): string | undefined {
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
      break;
  }
  const busy = Object.entries(vms?.pending ?? {});
  if (busy.length > 0) return busy.map(([name, op]) => `${name}: ${op}…`).join(', ');
  if (vms?.status === 'loading') return 'Loading VMs…';
  return undefined;
}

/** Lines the header takes: the title, then the facts and up to two note lines once known. */
function headerHeight(state: HelperState, width: number): number {
  if (!state.host || !state.init) return 1;
  return 2 + clampLines(wrapWords(state.host.virtualization.note, width), 2, width).length;
}

export function App({ clientFactory, theme, onExit, pathProbe }: AppProps) {
  const { exit } = useApp();
  const { columns, rows } = useWindowSize();
  const { state, client, shutdown } = useHelper(clientFactory);
  const vms = useVms(client);
  const [helpOpen, setHelpOpen] = useState(false);
  const [context, setContext] = useState<KeyContext>('dashboard');
  const [consoleName, setConsoleName] = useState<string>();
  const terminal = useConsole(client, consoleName);
  const [snapshotsOf, setSnapshotsOf] = useState<string>();
  const snapshots = useSnapshots(client, snapshotsOf, vms.actions.refresh);
  const clone = useClone(client, vms.actions);
  const quitting = useRef(false);
  const [wizardOpen, setWizardOpen] = useState(false);
  const [wizardContext, setWizardContext] = useState<KeyContext>('wizard');
  const probe = useMemo(() => pathProbe ?? fileSystemProbe(process.cwd(), homedir()), [pathProbe]);

  const quit = useCallback(async () => {
    if (quitting.current) return;
    quitting.current = true;
    await shutdown();
    onExit?.();
    exit();
  }, [shutdown, onExit, exit]);

  // The dashboard reads its own keys; before it shows (or when the helper failed) and while help
  // is open, these are the keys that work.
  const dashboardShown = state.status === 'ready' || vms.state.vms.length > 0;
  useInput(
    (input, key) => {
      const command = commandForKey(input, key, helpOpen ? 'help' : 'dashboard');
      if (command === Command.ToggleHelp) setHelpOpen((open) => !open);
      else if (command === Command.CloseHelp) setHelpOpen(false);
      else if (command === Command.Quit) void quit();
    },
    { isActive: consoleName === undefined && (helpOpen || !dashboardShown) },
  );

  const { say } = vms.actions;
  const openConsole = useCallback(
    (name: string) => {
      const vm = vms.state.vms.find((v) => v.name === name);
      if (!vm || vm.hostPid === undefined) {
        say({ tone: 'error', text: `VM '${name}' is not running, so its console is closed; start it with s first.` });
        return;
      }
      say(undefined);
      setConsoleName(name);
    },
    [vms.state.vms, say],
  );

  // n on the dashboard opens the install wizard (a screen over the dashboard; the VM list stays live).
  useInput(
    (input, key) => {
      if (commandForKey(input, key, 'dashboard') !== Command.NewVm) return;
      if (!client || !state.init || !state.host) say({ tone: 'error', text: 'The helper is not ready, so no VM can be created yet; wait for it or restart vmtui.' });
      else {
        say(undefined);
        setWizardOpen(true);
      }
    },
    {
      isActive:
        consoleName === undefined && !helpOpen && !wizardOpen && dashboardShown && context === 'dashboard' &&
        snapshotsOf === undefined && clone.state.question === undefined,
    },
  );
  const closeWizard = useCallback(
    (text?: string, isError?: boolean) => {
      setWizardOpen(false);
      if (text) say({ tone: isError ? 'error' : 'info', text });
    },
    [say],
  );
  const consoleFromWizard = useCallback((name: string) => {
    setWizardOpen(false);
    setConsoleName(name);
  }, []);

  // Keys the dashboard passes on: S opens the snapshots screen, C the clone dialog.
  const onVmCommand = useCallback(
    (command: Command, vm: VMInfo) => {
      if (command === Command.Snapshots) {
        say(undefined); // the dashboard's last sentence is about something else
        setSnapshotsOf(vm.name);
      } else if (command === Command.Clone) clone.open(vm.name, vm.state === 'running', vms.state.vms.map((v) => v.name));
    },
    [clone, say, vms.state.vms],
  );
  const closeSnapshots = useCallback(() => {
    setSnapshotsOf(undefined);
    setContext('dashboard');
  }, []);

  useRawInput(consoleName !== undefined, (data) => {
    const at = sequenceIndex(Command.Detach, data);
    if (at === -1) return terminal.type(data);
    terminal.type(data.slice(0, at));
    say({ tone: 'info', text: `Left the console of VM '${consoleName}'; it keeps running.` });
    setConsoleName(undefined);
  });

  const width = Math.max(20, columns);
  if (consoleName !== undefined) {
    const note = state.error ?? terminal.state.note ?? (terminal.state.status === 'attaching' ? 'Attaching…' : undefined);
    const vm = vms.state.vms.find((v) => v.name === consoleName);
    return (
      <ConsoleView
        width={width}
        height={rows}
        theme={theme}
        name={consoleName}
        {...(vm ? { state: vm.state } : {})}
        lines={terminal.screen.view(consoleBodyRows(rows, note !== undefined), width)}
        {...(note !== undefined ? { note } : {})}
        noteIsError={state.error !== undefined || terminal.state.status === 'failed'}
        hints={footerHints('console')}
      />
    );
  }

  const message = vms.state.message;
  const bannerHeight = state.error ? wrapWords(state.error, width - 4).length + 2 : 0;
  const screenHeight = Math.max(3, rows - headerHeight(state, width) - bannerHeight - 1 - statusLines(message, width).length - 1);
  const question = clone.state.question;
  const clonePending = clone.state.pending;
  const questionPending = question !== undefined && clonePending?.source === question.source && clonePending.target === question.typed;
  const dashboardHeight = Math.max(3, screenHeight - (question ? cloneDialogHeight(question, questionPending, width) : 0));
  const snapshotsVm = vms.state.vms.find((v) => v.name === snapshotsOf);
  return (
    <Box flexDirection="column" width={width} height={rows}>
      <Header width={width} theme={theme} init={state.init} host={state.host} />
      {state.error ? <Banner width={width} theme={theme} message={state.error} /> : null}
      <Box marginTop={1} flexDirection="column" flexGrow={1}>
        {helpOpen ? <HelpOverlay width={width} theme={theme} entries={helpEntries(snapshotsOf ? 'snapshots' : 'dashboard')} height={screenHeight} /> : null}
        {wizardOpen && client && state.init && state.host ? (
          <Box display={helpOpen ? 'none' : 'flex'}>
            <Wizard
              width={width}
              theme={theme}
              isActive={!helpOpen}
              client={client}
              init={state.init}
              host={state.host}
              probe={probe}
              taken={vms.state.vms.map((vm) => vm.name)}
              onClose={closeWizard}
              onChanged={vms.actions.refresh}
              onOpenConsole={consoleFromWizard}
              onContextChange={setWizardContext}
            />
          </Box>
        ) : null}
        {dashboardShown ? (
          <Box display={helpOpen || snapshotsOf !== undefined || wizardOpen ? 'none' : 'flex'} flexDirection="column">
            <Dashboard
              width={width}
              height={dashboardHeight}
              theme={theme}
              vms={vms.state.vms}
              problems={vms.state.problems}
              pending={vms.state.pending}
              loading={vms.state.status === 'loading' || vms.state.status === 'idle'}
              isActive={!helpOpen && snapshotsOf === undefined && question === undefined && !wizardOpen}
              onStart={vms.actions.start}
              onStop={vms.actions.stop}
              onPauseResume={vms.actions.pauseOrResume}
              onDelete={vms.actions.remove}
              onConsole={openConsole}
              onToggleHelp={() => setHelpOpen(true)}
              onQuit={() => void quit()}
              onNotice={(text) => say({ tone: 'error', text })}
              onContextChange={setContext}
              onVmCommand={onVmCommand}
              {...(clone.state.made ? { selectRequest: clone.state.made } : {})}
            />
            {question ? (
              <CloneDialog
                width={width}
                theme={theme}
                question={question}
                pending={questionPending}
                isActive={!helpOpen}
                onEdit={clone.edit}
                onSubmit={() => clone.submit(vms.state.vms.map((v) => v.name))}
                onCancel={clone.close}
              />
            ) : null}
          </Box>
        ) : null}
        {snapshotsOf !== undefined ? (
          <Box display={helpOpen ? 'none' : 'flex'}>
            <SnapshotsScreen
              width={width}
              height={screenHeight}
              theme={theme}
              vmName={snapshotsOf}
              vm={snapshotsVm}
              state={snapshots.state}
              isActive={!helpOpen}
              onCreate={snapshots.actions.create}
              onRestore={snapshots.actions.restore}
              onDelete={snapshots.actions.remove}
              onBack={closeSnapshots}
              onToggleHelp={() => setHelpOpen(true)}
              onQuit={() => void quit()}
              onNotice={snapshots.actions.say}
              onContextChange={setContext}
            />
          </Box>
        ) : null}
      </Box>
      <StatusLine width={width} theme={theme} message={message} />
      <Box>
        <Footer
          width={width}
          theme={theme}
          hints={footerHints(helpOpen ? 'help' : wizardOpen ? wizardContext : question ? 'input' : context)}
          status={statusLine(state, vms.state) ?? (clonePending ? `${clonePending.source}: cloning to ${clonePending.target}…` : undefined)}
        />
      </Box>
    </Box>
  );
}
