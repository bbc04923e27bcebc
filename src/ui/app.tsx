// The TUI: the helper, the VM list and the screens over it. Which screen shows is a stack
// (screens.ts); every key goes through one router (useKeyRouter) to the screen on top.
import { homedir } from 'node:os';
import { Box, useApp, useWindowSize } from 'ink';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { HelperClientFactory } from '../rpc/api.js';
import type { HelperStart } from '../rpc/earlyHelper.js';
import type { VMInfo } from '../rpc/protocol.js';
import { Banner } from './components/Banner.js';
import { CloneDialog, cloneDialogHeight } from './components/CloneDialog.js';
import { ConsoleView, consoleBodyRows } from './components/ConsoleView.js';
import { ScreenView, screenBodyRows } from './components/ScreenView.js';
import { useScreen } from './hooks/useScreen.js';
import { colorModeFor } from '../screen/cells.js';
import type { GraphicsChoice } from '../screen/graphics.js';
import { inputToKeys } from '../screen/keys.js';
import { Dashboard } from './components/Dashboard.js';
import { DetailView } from './components/DetailView.js';
import { EventTicker } from './components/EventTicker.js';
import { Footer } from './components/Footer.js';
import { Header } from './components/Header.js';
import { HelpOverlay, helpLines, helpPage } from './components/HelpOverlay.js';
import { HostStrip, hostSample, hostStripHeight } from './components/HostStrip.js';
import { SnapshotsScreen } from './components/SnapshotsScreen.js';
import { StatusLine, statusLines } from './components/StatusLine.js';
import { Wizard } from './components/wizard/Wizard.js';
import { wrapWords } from '../format/text.js';
import { copyLine } from '../format/progress.js';
import { headerHeight, liveViewProblem, movesAway, statusLine } from './appStatus.js';
import { useClone } from './hooks/useClone.js';
import { useConsole } from './hooks/useConsole.js';
import { useEvents } from './hooks/useEvents.js';
import { useHelper } from './hooks/useHelper.js';
import { useKeyRouter } from './hooks/useKeyRouter.js';
import { useRefState } from './hooks/useRefState.js';
import { KeyRouterContext } from './hooks/useScreenKeys.js';
import { useSsh, type OpenShell } from './hooks/useSsh.js';
import { useSnapshotCount } from './hooks/useSnapshotCount.js';
import { useSnapshots } from './hooks/useSnapshots.js';
import { useStats } from './hooks/useStats.js';
import { useVms } from './hooks/useVms.js';
import { Command, footerHints, helpEntries, type KeyContext } from './keys.js';
import { fileSystemProbe, type PathProbe } from './pathCompletion.js';
import { findScreen, helpScreenOf, initialScreens, keyContextOf, screensReducer, topScreen, type Screen, type ScreenAction } from './screens.js';
import { HISTORY_SECONDS } from './statsHistory.js';
import { showsLiveFigures } from './vmRows.js';
import type { Theme } from './theme.js';

export interface AppProps {
  clientFactory: HelperClientFactory;
  /** A client started before the UI with its first answers in: the first frame shows them. */
  start?: HelperStart | undefined;
  theme: Theme;
  /** Called after the helper has been shut down, just before the app unmounts. */
  onExit?: () => void;
  /** Where the install wizard looks up and completes file paths (default: the real file system). */
  pathProbe?: PathProbe;
  /** Runs ssh on the terminal for the SSH key (h); absent: the key says to use 'vmtui ssh'. */
  openShell?: OpenShell;
  /**
   * How the screen view draws (screen/detect.ts); half-blocks in COLORTERM's colours when absent.
   * While the terminal's answer is still on its way (a promise), the app draws but reads no keys:
   * the answer comes in as input, and it must not act as keys.
   */
  graphics?: GraphicsChoice | Promise<GraphicsChoice>;
}

export function App({ clientFactory, start, theme, onExit, pathProbe, openShell, graphics }: AppProps) {
  const { exit } = useApp();
  const { columns, rows } = useWindowSize();
  const { state, client, shutdown } = useHelper(clientFactory, start);
  const vms = useVms(client);
  const stats = useStats(client);
  const events = useEvents(client);
  // Read through the ref when a key arrives: the screen the previous key opened, drawn or not.
  const [stack, setStack, stackRef] = useRefState<Screen[]>(initialScreens);
  const go = useCallback((action: ScreenAction) => setStack((s) => screensReducer(s, action)), [setStack]);
  const top = topScreen(stack);
  const helpOpen = top.kind === 'help';
  const consoleName = top.kind === 'console' ? top.name : undefined;
  const screenName = top.kind === 'screen' ? top.name : undefined;
  const detailName = findScreen(stack, 'detail')?.name;
  const snapshotsOf = findScreen(stack, 'snapshots')?.name;
  const wizardOpen = findScreen(stack, 'wizard') !== undefined;
  // The help's length and page size as last drawn, for its scroll keys.
  const helpView = useRef({ lines: 0, page: 1 });
  const scrollHelp = (direction: 1 | -1, unit: 'line' | 'page') => {
    const { lines, page } = helpView.current;
    go({ type: 'scrollHelp', by: direction * (unit === 'line' ? 1 : page), max: lines - page });
  };
  const openHelp = useCallback(() => go({ type: 'push', screen: { kind: 'help', offset: 0 } }), [go]);
  const setContext = useCallback(
    (kind: 'dashboard' | 'snapshots' | 'wizard') => (context: KeyContext) => go({ type: 'context', kind, context }),
    [go],
  );
  const contextSetters = useMemo(
    () => ({ dashboard: setContext('dashboard'), snapshots: setContext('snapshots'), wizard: setContext('wizard') }),
    [setContext],
  );
  const detailVm = detailName === undefined ? undefined : vms.state.vms.find((v) => v.name === detailName);
  // The console and the detail screen share one attachment: the detail screen shows its last lines.
  const terminal = useConsole(client, consoleName ?? (detailVm?.hostPid !== undefined ? detailName : undefined));
  const snapshotCount = useSnapshotCount(client, detailName);
  const snapshots = useSnapshots(client, snapshotsOf, vms.actions.refresh);
  const clone = useClone(
    client,
    vms.actions,
    useCallback(() => go({ type: 'close', kind: 'clone' }), [go]),
  );
  const probe = useMemo(() => pathProbe ?? fileSystemProbe(process.cwd(), homedir()), [pathProbe]);
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
    if (detailName !== undefined && vmsLoaded && !detailVm) go({ type: 'close', kind: 'detail' });
  }, [detailName, detailVm, vmsLoaded, go]);
  const question = clone.state.question;

  const { say } = vms.actions;
  const openSsh = useSsh(client, openShell, say);
  // c and v open a running VM's console or (with a display) its screen, over the current screen.
  const openLive = useCallback(
    (kind: 'console' | 'screen', name: string) => {
      const problem = liveViewProblem(kind, name, vms.state.vms.find((v) => v.name === name));
      say(problem === undefined ? undefined : { tone: 'error', text: problem });
      if (problem === undefined) go({ type: 'push', screen: { kind, name } });
    },
    [vms.state.vms, say, go],
  );
  const openConsole = useCallback((name: string) => openLive('console', name), [openLive]);

  // n opens the install wizard (a screen over the dashboard; the VM list stays live).
  const openWizard = () => {
    if (!client || !state.init || !state.host) {
      say({ tone: 'error', text: 'The helper is not ready, so no VM can be created yet; wait for it or restart vmtui.' });
      return;
    }
    say(undefined);
    go({ type: 'push', screen: { kind: 'wizard', context: 'wizard' } });
  };
  const closeWizard = useCallback(
    (text?: string, isError?: boolean) => {
      go({ type: 'close', kind: 'wizard' });
      if (text) say({ tone: isError ? 'error' : 'info', text });
    },
    [say, go],
  );
  const consoleFromWizard = useCallback((name: string) => go({ type: 'replace', screen: { kind: 'console', name } }), [go]);

  // Keys the dashboard passes on: S opens the snapshots screen, C the clone dialog.
  const onVmCommand = useCallback(
    (command: Command, vm: VMInfo) => {
      if (command === Command.Snapshots) {
        say(undefined); // the dashboard's last sentence is about something else
        go({ type: 'push', screen: { kind: 'snapshots', name: vm.name, context: 'snapshots' } });
      } else if (command === Command.Screen) openLive('screen', vm.name);
      else if (command === Command.Clone) {
        clone.open(vm.name, vm.state === 'running', vms.state.vms.map((v) => v.name));
        go({ type: 'push', screen: { kind: 'clone' } });
      } else if (command === Command.Ssh) void openSsh(vm);
    },
    [clone, say, vms.state.vms, go, openSsh, openLive],
  );
  const closeSnapshots = useCallback(() => go({ type: 'close', kind: 'snapshots' }), [go]);
  const closeClone = useCallback(() => {
    clone.close();
    go({ type: 'close', kind: 'clone' });
  }, [clone, go]);

  const dashboardShown = state.status === 'ready' || vms.state.vms.length > 0;
  const answered = useAnswered(graphics);
  const screenGraphics = useMemo(() => answered.value ?? { mode: 'blocks' as const, color: colorModeFor(process.env) }, [answered]);
  const guestScreen = useScreen(client, screenName, Math.max(20, columns), screenBodyRows(rows), screenGraphics);
  const messageRef = useRef(vms.state.message);
  messageRef.current = vms.state.message;
  const routes = useKeyRouter({
    stack: stackRef,
    reading: answered.done,
    dashboardShown,
    onKey: (command) => {
      // A sentence (✓ or ✗) is about the VM and screen it came from: moving elsewhere takes it away,
      // so one VM's news is never read as another's.
      if (messageRef.current === undefined || !movesAway(command)) return;
      messageRef.current = undefined;
      say(undefined);
    },
    takeDashboardKey: (command) => {
      if (command !== Command.NewVm) return false;
      openWizard();
      return true;
    },
    onAppKey: (command, now) => {
      const detail = now.kind === 'detail' ? vms.state.vms.find((v) => v.name === now.name) : undefined;
      if (command === Command.ToggleHelp) go(now.kind === 'help' ? { type: 'pop' } : { type: 'push', screen: { kind: 'help', offset: 0 } });
      else if (command === Command.CloseHelp || command === Command.Back) go({ type: 'pop' });
      else if (command === Command.HelpDown) scrollHelp(1, 'line');
      else if (command === Command.HelpUp) scrollHelp(-1, 'line');
      else if (command === Command.HelpPageDown) scrollHelp(1, 'page');
      else if (command === Command.HelpPageUp) scrollHelp(-1, 'page');
      else if (command === Command.Quit) void quit();
      else if (command === Command.Console && detail) openLive('console', detail.name);
      else if (command === Command.Ssh && detail) void openSsh(detail);
      else if (command === Command.Screen && detail) openLive('screen', detail.name);
    },
    onLiveInput: (data, now) => (now.kind === 'console' ? terminal.type(data) : guestScreen.send(inputToKeys(data))),
    onLeave: (now) => {
      say({ tone: 'info', text: `Left the ${now.kind} of VM '${now.name}'; it keeps running.` });
      go({ type: 'pop' });
    },
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
  const covered = helpOpen || detailVm !== undefined || snapshotsOf !== undefined || wizardOpen;
  const tickerHeight = !covered && dashboardShown ? 1 : 0;
  const bodyHeight = Math.max(
    3,
    rows - headerHeight(state, width) - bannerHeight - stripHeight - 1 - tickerHeight - statusLines(message, width).length - 1,
  );
  const series = detailName === undefined ? undefined : stats.history.vms.get(detailName);
  const clonePending = clone.state.pending;
  const questionPending = question !== undefined && clonePending?.source === question.source && clonePending.target === question.typed;
  const cloneProgress = questionPending && clonePending?.progress ? copyLine(clonePending.progress) : undefined;
  const dashboardHeight = Math.max(3, bodyHeight - (question ? cloneDialogHeight(question, questionPending, width, cloneProgress) : 0));
  const snapshotsVm = vms.state.vms.find((v) => v.name === snapshotsOf);
  const shownHelp = helpEntries(helpScreenOf(stack));
  if (top.kind === 'help') {
    const lines = helpLines(shownHelp, width).length;
    const page = helpPage(lines, bodyHeight, 0);
    helpView.current = { lines, page: Math.max(1, page.end - page.start) };
  }
  return (
    <KeyRouterContext.Provider value={routes}>
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
            {top.kind === 'help' ? (
              <HelpOverlay width={width} height={bodyHeight} offset={top.offset} theme={theme} entries={shownHelp} />
            ) : null}
            {wizardOpen && client && state.init && state.host ? (
              <Box display={helpOpen ? 'none' : 'flex'}>
                <Wizard
                  width={width}
                  theme={theme}
                  client={client}
                  init={state.init}
                  host={state.host}
                  probe={probe}
                  taken={vms.state.vms.map((vm) => vm.name)}
                  onClose={closeWizard}
                  onChanged={vms.actions.refresh}
                  onOpenConsole={consoleFromWizard}
                  onContextChange={contextSetters.wizard}
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
                  onCreate={snapshots.actions.create}
                  onRestore={snapshots.actions.restore}
                  onDelete={snapshots.actions.remove}
                  onBack={closeSnapshots}
                  onStop={snapshots.actions.stop}
                  onToggleHelp={openHelp}
                  onQuit={() => void quit()}
                  onNotice={snapshots.actions.say}
                  onContextChange={contextSetters.snapshots}
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
                  onStart={vms.actions.start}
                  onStop={vms.actions.stop}
                  onPauseResume={vms.actions.pauseOrResume}
                  onSuspend={vms.actions.suspend}
                  onDelete={vms.actions.remove}
                  onConsole={openConsole}
                  onDetails={(name) => go({ type: 'push', screen: { kind: 'detail', name } })}
                  onToggleHelp={openHelp}
                  onQuit={() => void quit()}
                  onNotice={(text) => say({ tone: 'error', text })}
                  onContextChange={contextSetters.dashboard}
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
                    onEdit={clone.edit}
                    onSubmit={() => clone.submit(vms.state.vms.map((v) => v.name))}
                      onStop={clone.stop}
                    onCancel={closeClone}
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
              hints={footerHints(keyContextOf(stack))}
              status={statusLine(state, vms.state) ?? (clonePending ? `${clonePending.source}: cloning to ${clonePending.target}…` : undefined)}
            />
          </Box>
        </Box>
      </Box>
    </KeyRouterContext.Provider>
  );
}

/** A value given now or later: `done` once it is in (an absent one is in). */
function useAnswered<T>(given: T | Promise<T> | undefined): { done: boolean; value: T | undefined } {
  const pending = given instanceof Promise;
  const [answer, setAnswer] = useState<{ done: boolean; value: T | undefined }>(() => ({ done: !pending, value: pending ? undefined : given }));
  useEffect(() => {
    if (!(given instanceof Promise)) return;
    let live = true;
    given.then(
      (value) => live && setAnswer({ done: true, value }),
      () => live && setAnswer({ done: true, value: undefined }),
    );
    return () => {
      live = false;
    };
  }, [given]);
  return answer;
}
