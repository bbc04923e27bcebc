import { homedir } from 'node:os';
import { Box, useApp, useWindowSize } from 'ink';
import { useKeys } from './hooks/useKeys.js';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { HelperClientFactory } from '../rpc/api.js';
import type { VMInfo } from '../rpc/protocol.js';
import { Banner } from './components/Banner.js';
import { CloneDialog, cloneDialogHeight } from './components/CloneDialog.js';
import { ConsoleView, consoleBodyRows } from './components/ConsoleView.js';
import { ScreenView, screenBodyRows } from './components/ScreenView.js';
import { useScreen } from './hooks/useScreen.js';
import { colorModeFor } from '../screen/cells.js';
import type { GraphicsChoice } from '../screen/graphics.js';
import { inputToKeys } from '../screen/keys.js';
import { Dashboard, type KeyHandler } from './components/Dashboard.js';
import { DetailView } from './components/DetailView.js';
import { EventTicker } from './components/EventTicker.js';
import { Footer } from './components/Footer.js';
import { Header } from './components/Header.js';
import { HelpOverlay, helpLines, helpPage } from './components/HelpOverlay.js';
import { HostStrip, hostSample, hostStripHeight } from './components/HostStrip.js';
import { SnapshotsScreen } from './components/SnapshotsScreen.js';
import { StatusLine, statusLines } from './components/StatusLine.js';
import { Wizard } from './components/wizard/Wizard.js';
import { clampLines, wrapWords } from '../format/text.js';
import { copyLine } from '../format/progress.js';
import { useClone } from './hooks/useClone.js';
import { useConsole } from './hooks/useConsole.js';
import { useEvents } from './hooks/useEvents.js';
import { useHelper, type HelperState } from './hooks/useHelper.js';
import { useRawInput } from './hooks/useRawInput.js';
import { useSsh, type OpenShell } from './hooks/useSsh.js';
import { useSnapshotCount } from './hooks/useSnapshotCount.js';
import { useSnapshots } from './hooks/useSnapshots.js';
import { useStats } from './hooks/useStats.js';
import { useVms, type VmsState } from './hooks/useVms.js';
import { Command, commandForKey, footerHints, helpEntries, sequenceIndex, type KeyContext } from './keys.js';
import { fileSystemProbe, type PathProbe } from './pathCompletion.js';
import { HISTORY_SECONDS } from './statsHistory.js';
import { showsLiveFigures } from './vmRows.js';
import type { Theme } from './theme.js';

export interface AppProps {
  clientFactory: HelperClientFactory;
  theme: Theme;
  /** Called after the helper has been shut down, just before the app unmounts. */
  onExit?: () => void;
  /** Where the install wizard looks up and completes file paths (default: the real file system). */
  pathProbe?: PathProbe;
  /** Runs ssh on the terminal for the SSH key (h); absent: the key says to use 'vmtui ssh'. */
  openShell?: OpenShell;
  /** How the screen view draws (screen/detect.ts); half-blocks in COLORTERM's colours when absent. */
  graphics?: GraphicsChoice;
}

export function statusLine(state: HelperState, vms?: VmsState): string | undefined {
  switch (state.status) {
    case 'starting':
      return 'Starting the helper…';
    case 'restarting':
      return 'Restarting the helper…';
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

/** Keys that move to another VM or screen. */
const movingCommands = new Set<Command>([
  Command.SelectUp, Command.SelectDown, Command.Details, Command.Back, Command.ToggleHelp, Command.CloseHelp,
  Command.Snapshots, Command.NewVm,
]);
function movesAway(command: Command | undefined): boolean {
  return command !== undefined && movingCommands.has(command);
}

export function App({ clientFactory, theme, onExit, pathProbe, openShell, graphics }: AppProps) {
  const { exit } = useApp();
  const { columns, rows } = useWindowSize();
  const { state, client, shutdown } = useHelper(clientFactory);
  const vms = useVms(client);
  const stats = useStats(client);
  const events = useEvents(client);
  const [helpOpen, setHelpOpenState] = useState(false);
  const [context, setContext] = useState<KeyContext>('dashboard');
  const [consoleName, setConsoleNameState] = useState<string>();
  const [detailName, setDetailNameState] = useState<string>();
  // Which screen has the keyboard, read when a key arrives: keys typed faster than a render (Esc
  // then j) reach the screen the previous key opened, not the one still drawn.
  const screen = useRef({
    help: false,
    detail: undefined as string | undefined,
    console: undefined as string | undefined,
    screen: undefined as string | undefined,
    // Screens and dialogs that read their own keys (snapshots, the wizard, the clone dialog).
    overlay: false,
  });
  const [helpOffset, setHelpOffset] = useState(0);
  // The help's length and page size as last drawn, for its scroll keys.
  const helpView = useRef({ lines: 0, page: 1 });
  const setHelpOpen = useCallback((open: boolean) => {
    screen.current.help = open;
    setHelpOpenState(open);
    setHelpOffset(0);
  }, []);
  const scrollHelp = useCallback((direction: 1 | -1, unit: 'line' | 'page') => {
    const { lines, page } = helpView.current;
    const by = direction * (unit === 'line' ? 1 : page);
    setHelpOffset((at) => Math.max(0, Math.min(at + by, Math.max(0, lines - page))));
  }, []);
  const setDetailName = useCallback((name: string | undefined) => {
    screen.current.detail = name;
    setDetailNameState(name);
  }, []);
  const setConsoleName = useCallback((name: string | undefined) => {
    screen.current.console = name;
    setConsoleNameState(name);
  }, []);
  const [screenName, setScreenNameState] = useState<string>();
  const setScreenName = useCallback((name: string | undefined) => {
    screen.current.screen = name;
    setScreenNameState(name);
  }, []);
  const detailVm = detailName === undefined ? undefined : vms.state.vms.find((v) => v.name === detailName);
  // The console and the detail screen share one attachment: the detail screen shows its last lines.
  const terminal = useConsole(client, consoleName ?? (detailVm?.hostPid !== undefined ? detailName : undefined));
  const snapshotCount = useSnapshotCount(client, detailName);
  const [snapshotsOf, setSnapshotsOfState] = useState<string>();
  const snapshots = useSnapshots(client, snapshotsOf, vms.actions.refresh);
  const clone = useClone(client, vms.actions);
  const [wizardOpen, setWizardOpenState] = useState(false);
  const [wizardContext, setWizardContext] = useState<KeyContext>('wizard');
  const probe = useMemo(() => pathProbe ?? fileSystemProbe(process.cwd(), homedir()), [pathProbe]);
  const setSnapshotsOf = useCallback((name: string | undefined) => {
    screen.current.overlay = name !== undefined;
    setSnapshotsOfState(name);
  }, []);
  const setWizardOpen = useCallback((open: boolean) => {
    screen.current.overlay = open;
    setWizardOpenState(open);
  }, []);
  screen.current.overlay = snapshotsOf !== undefined || wizardOpen || clone.state.question !== undefined;
  const quitting = useRef(false);

  const quit = useCallback(async () => {
    if (quitting.current) return;
    quitting.current = true;
    await shutdown();
    onExit?.();
    exit();
  }, [shutdown, onExit, exit]);

  // A VM deleted (or renamed away) while its details show: back to the list.
  const vmsLoaded = vms.state.status === 'ready';
  useEffect(() => {
    if (detailName !== undefined && vmsLoaded && !detailVm) setDetailName(undefined);
  }, [detailName, detailVm, vmsLoaded, setDetailName]);

  const { say } = vms.actions;
  const openSsh = useSsh(client, openShell, say);
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
    [vms.state.vms, say, setConsoleName],
  );

  // v opens the guest's screen (the VM must run and have a display).
  const openScreen = useCallback(
    (name: string) => {
      const vm = vms.state.vms.find((v) => v.name === name);
      if (!vm || vm.hostPid === undefined) {
        say({ tone: 'error', text: `VM '${name}' is not running, so it has no screen to show; start it with s first.` });
        return;
      }
      if (!vm.display) {
        say({ tone: 'error', text: `VM '${name}' has no display; stop it, run 'vmtui configure ${name} --display 1280x800', and start it again.` });
        return;
      }
      say(undefined);
      setScreenName(name);
    },
    [vms.state.vms, say, setScreenName],
  );

  // n opens the install wizard (a screen over the dashboard; the VM list stays live).
  const openWizard = useCallback(() => {
    if (!client || !state.init || !state.host) {
      say({ tone: 'error', text: 'The helper is not ready, so no VM can be created yet; wait for it or restart vmtui.' });
      return;
    }
    say(undefined);
    setWizardOpen(true);
  }, [client, state.init, state.host, say, setWizardOpen]);
  const closeWizard = useCallback(
    (text?: string, isError?: boolean) => {
      setWizardOpen(false);
      if (text) say({ tone: isError ? 'error' : 'info', text });
    },
    [say, setWizardOpen],
  );
  const consoleFromWizard = useCallback(
    (name: string) => {
      setWizardOpen(false);
      setConsoleName(name);
    },
    [setWizardOpen, setConsoleName],
  );

  // Keys the dashboard passes on: S opens the snapshots screen, C the clone dialog.
  const onVmCommand = useCallback(
    (command: Command, vm: VMInfo) => {
      if (command === Command.Snapshots) {
        say(undefined); // the dashboard's last sentence is about something else
        setSnapshotsOf(vm.name);
      } else if (command === Command.Screen) openScreen(vm.name);
      else if (command === Command.Clone) clone.open(vm.name, vm.state === 'running', vms.state.vms.map((v) => v.name));
      else if (command === Command.Ssh) void openSsh(vm);
    },
    [clone, say, vms.state.vms, setSnapshotsOf, openSsh, openScreen],
  );
  const closeSnapshots = useCallback(() => {
    setSnapshotsOf(undefined);
    setContext('dashboard');
  }, [setSnapshotsOf]);

  const dashboardShown = state.status === 'ready' || vms.state.vms.length > 0;
  // One handler for every key outside the console, routed by the screen that has the keyboard: the
  // dashboard's own handler while it shows; else help, the details, or (before the dashboard shows,
  // or when the helper failed) just ? and q.
  const dashboardKeys = useRef<KeyHandler>(undefined);
  const messageRef = useRef(vms.state.message);
  messageRef.current = vms.state.message;
  useKeys((input, key) => {
    const now = screen.current;
    if (now.console !== undefined || now.screen !== undefined) return; // those read raw input
    if (now.overlay && !now.help) return; // those screens read their own keys
    const keyContext = now.help ? 'help' : now.detail !== undefined ? 'detail' : context;
    // A ✗ sentence is about the VM and screen it came from: moving elsewhere takes it away.
    if (messageRef.current?.tone === 'error' && movesAway(commandForKey(input, key, keyContext))) {
      messageRef.current = undefined;
      say(undefined);
    }
    if (!now.help && now.detail === undefined && dashboardShown && dashboardKeys.current) {
      if (context === 'dashboard' && commandForKey(input, key, 'dashboard') === Command.NewVm) return openWizard();
      return dashboardKeys.current(input, key);
    }
    const command = commandForKey(input, key, now.help ? 'help' : now.detail !== undefined ? 'detail' : 'dashboard');
    if (command === Command.ToggleHelp) setHelpOpen(!now.help);
    else if (command === Command.CloseHelp) setHelpOpen(false);
    else if (command === Command.HelpDown) scrollHelp(1, 'line');
    else if (command === Command.HelpUp) scrollHelp(-1, 'line');
    else if (command === Command.HelpPageDown) scrollHelp(1, 'page');
    else if (command === Command.HelpPageUp) scrollHelp(-1, 'page');
    else if (command === Command.Quit) void quit();
    else if (command === Command.Back) setDetailName(undefined);
    else if (command === Command.Console && now.detail !== undefined) openConsole(now.detail);
    else if (command === Command.Ssh && now.detail !== undefined) {
      const vm = vms.state.vms.find((v) => v.name === now.detail);
      if (vm) void openSsh(vm);
    }
    else if (command === Command.Screen && now.detail !== undefined) openScreen(now.detail);
  });

  const screenGraphics = useMemo(() => graphics ?? { mode: 'blocks' as const, color: colorModeFor(process.env) }, [graphics]);
  const guestScreen = useScreen(client, screenName, Math.max(20, columns), screenBodyRows(rows), screenGraphics);
  useRawInput(screenName !== undefined, (data) => {
    const at = sequenceIndex(Command.LeaveScreen, data);
    if (at === -1) return guestScreen.send(inputToKeys(data));
    guestScreen.send(inputToKeys(data.slice(0, at)));
    say({ tone: 'info', text: `Left the screen of VM '${screenName}'; it keeps running.` });
    setScreenName(undefined);
  });

  useRawInput(consoleName !== undefined, (data) => {
    const at = sequenceIndex(Command.Detach, data);
    if (at === -1) return terminal.type(data);
    terminal.type(data.slice(0, at));
    say({ tone: 'info', text: `Left the console of VM '${consoleName}'; it keeps running.` });
    setConsoleName(undefined);
  });

  // Samples change once a second; the table's view of them only then.
  const tableStats = useMemo(() => stats.history.tableView(), [stats.history, stats.state.version]);
  const statsNote = stats.state.status === 'failed' ? stats.state.error : undefined;

  const width = Math.max(20, columns);
  const consoleNote = state.error ?? terminal.state.note ?? (terminal.state.status === 'attaching' ? 'Attaching…' : undefined);
  const consoleVm = vms.state.vms.find((v) => v.name === consoleName);
  const message = vms.state.message;
  const bannerHeight = state.error ? wrapWords(state.error, width - 4).length + 2 : 0;
  const stripHeight = state.host ? hostStripHeight(width, statsNote) : 0;
  const tickerHeight = detailName === undefined && !helpOpen && snapshotsOf === undefined && !wizardOpen && dashboardShown ? 1 : 0;
  const bodyHeight = Math.max(
    3,
    rows - headerHeight(state, width) - bannerHeight - stripHeight - 1 - tickerHeight - statusLines(message, width).length - 1,
  );
  const series = detailName === undefined ? undefined : stats.history.vms.get(detailName);
  const question = clone.state.question;
  const clonePending = clone.state.pending;
  const questionPending = question !== undefined && clonePending?.source === question.source && clonePending.target === question.typed;
  const cloneProgress = questionPending && clonePending?.progress ? copyLine(clonePending.progress) : undefined;
  const dashboardHeight = Math.max(3, bodyHeight - (question ? cloneDialogHeight(question, questionPending, width, cloneProgress) : 0));
  const snapshotsVm = vms.state.vms.find((v) => v.name === snapshotsOf);
  const covered = helpOpen || detailVm !== undefined || snapshotsOf !== undefined || wizardOpen;
  const shownHelp = helpEntries(snapshotsOf ? 'snapshots' : 'dashboard');
  if (helpOpen) {
    const lines = helpLines(shownHelp, width).length;
    const page = helpPage(lines, bodyHeight, 0);
    helpView.current = { lines, page: Math.max(1, page.end - page.start) };
  }
  const footerContext: KeyContext = helpOpen
    ? 'help'
    : wizardOpen
      ? wizardContext
      : detailName !== undefined
        ? 'detail'
        : question
          ? 'input'
          : context;
  return (
    <Box flexDirection="column" width={width}>
      {consoleName !== undefined ? (
        <ConsoleView
          width={width}
          height={rows}
          theme={theme}
          name={consoleName}
          {...(consoleVm ? { state: consoleVm.state } : {})}
          lines={terminal.screen.view(consoleBodyRows(rows, consoleNote !== undefined), width)}
          {...(consoleNote !== undefined ? { note: consoleNote } : {})}
          noteIsError={state.error !== undefined || terminal.state.status === 'failed'}
          hints={footerHints('console')}
        />
      ) : null}
      {screenName !== undefined ? (
        <ScreenView
          width={width}
          height={rows}
          theme={theme}
          name={screenName}
          lines={guestScreen.state.lines}
          {...(guestScreen.state.image !== undefined ? { image: guestScreen.state.image } : {})}
          {...(guestScreen.state.source ? { source: guestScreen.state.source } : {})}
          {...(guestScreen.state.error !== undefined ? { note: guestScreen.state.error } : {})}
          hints={footerHints('screen')}
        />
      ) : null}
      {/* Hidden, not unmounted, under the console: the dashboard keeps its selection, sort and filter. */}
      <Box flexDirection="column" width={width} height={rows} display={consoleName === undefined && screenName === undefined ? 'flex' : 'none'}>
        <Header width={width} theme={theme} init={state.init} host={state.host} />
        {state.error ? <Banner width={width} theme={theme} message={state.error} /> : null}
        {state.host ? (
          <HostStrip
            width={width}
            theme={theme}
            sample={hostSample(state.host, stats.history.host)}
            {...(statsNote !== undefined ? { note: statsNote } : {})}
          />
        ) : null}
        <Box marginTop={1} flexDirection="column" flexGrow={1}>
          {helpOpen ? (
            <HelpOverlay width={width} height={bodyHeight} offset={helpOffset} theme={theme} entries={shownHelp} />
          ) : null}
          {wizardOpen && client && state.init && state.host ? (
            <Box display={helpOpen ? 'none' : 'flex'}>
              <Wizard
                width={width}
                theme={theme}
                isActive={!helpOpen && consoleName === undefined && screenName === undefined}
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
          {snapshotsOf !== undefined ? (
            <Box display={helpOpen ? 'none' : 'flex'}>
              <SnapshotsScreen
                width={width}
                height={bodyHeight}
                theme={theme}
                vmName={snapshotsOf}
                vm={snapshotsVm}
                state={snapshots.state}
                isActive={!helpOpen && consoleName === undefined && screenName === undefined}
                onCreate={snapshots.actions.create}
                onRestore={snapshots.actions.restore}
                onDelete={snapshots.actions.remove}
                onBack={closeSnapshots}
                onStop={snapshots.actions.stop}
                onToggleHelp={() => setHelpOpen(true)}
                onQuit={() => void quit()}
                onNotice={snapshots.actions.say}
                onContextChange={setContext}
              />
            </Box>
          ) : null}
          {detailVm && !helpOpen ? (
            <DetailView
              width={width}
              height={bodyHeight}
              theme={theme}
              vm={detailVm}
              {...(vms.state.pending[detailVm.name] ? { pending: vms.state.pending[detailVm.name] } : {})}
              {...(series?.latest && showsLiveFigures(detailVm.state) ? { latest: series.latest } : {})}
              cpu={series?.cpu.toArray() ?? []}
              memory={series?.memory.toArray() ?? []}
              historySamples={stats.history.samplesFor(HISTORY_SECONDS)}
              intervalMs={stats.history.intervalMs}
              {...(statsNote !== undefined ? { statsNote } : {})}
              snapshots={snapshotCount}
              events={events.filter((e) => e.name === detailVm.name)}
              consoleLines={(n, w) => terminal.screen.view(n, w)}
              {...(detailVm.hostPid !== undefined && terminal.state.note ? { consoleNote: terminal.state.note } : {})}
            />
          ) : null}
          {dashboardShown ? (
            <Box display={covered ? 'none' : 'flex'} flexDirection="column">
              <Dashboard
                width={width}
                height={dashboardHeight}
                theme={theme}
                vms={vms.state.vms}
                problems={vms.state.problems}
                pending={vms.state.pending}
                stats={tableStats}
                loading={vms.state.status === 'loading' || vms.state.status === 'idle'}
                keyHandler={dashboardKeys}
                onStart={vms.actions.start}
                onStop={vms.actions.stop}
                onPauseResume={vms.actions.pauseOrResume}
                onDelete={vms.actions.remove}
                onConsole={openConsole}
                onDetails={setDetailName}
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
                  {...(cloneProgress ? { progress: cloneProgress } : {})}
                  isActive={!helpOpen && consoleName === undefined && screenName === undefined}
                  onEdit={clone.edit}
                  onSubmit={() => clone.submit(vms.state.vms.map((v) => v.name))}
                  onStop={clone.stop}
                  onCancel={clone.close}
                />
              ) : null}
            </Box>
          ) : null}
        </Box>
        {tickerHeight > 0 ? <EventTicker width={width} theme={theme} events={events} /> : null}
        <StatusLine width={width} theme={theme} message={message} />
        <Box>
          <Footer
            width={width}
            theme={theme}
            hints={footerHints(footerContext)}
            status={statusLine(state, vms.state) ?? (clonePending ? `${clonePending.source}: cloning to ${clonePending.target}…` : undefined)}
          />
        </Box>
      </Box>
    </Box>
  );
}
