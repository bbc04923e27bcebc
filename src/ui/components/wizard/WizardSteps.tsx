// The wizard's form steps as pure views of its state: guest OS, source, name, sizes, summary and
// the resume question. Keys are read by Wizard.tsx; these only draw.
import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import type { HostInfo } from '../../../rpc/protocol.js';
import { truncate, wrapWords } from '../../../format/text.js';
import type { Theme } from '../../theme.js';
import { formatBytes } from '../../../format/vm.js';
import type { Availability } from '../../../format/availability.js';
import { DEFAULT_KEYS_TEXT, partialFor, summaryRows, downloadUrl } from '../../wizardModel.js';
import { LINUX_CHOICES, OS_CHOICES, SIZE_FIELDS, fromImage, macOptions, type MacOption, type WizardState } from '../../wizardState.js';

export interface StepProps {
  width: number;
  theme: Theme;
  state: WizardState;
  host: HostInfo;
  availability: Record<'linux' | 'macos', Availability>;
}

function Lines({ text, width, color, bold }: { text: string; width: number; color?: string | undefined; bold?: boolean }) {
  return (
    <>
      {wrapWords(text, width).map((line, i) => (
        <Text key={i} color={color} bold={bold ?? false}>
          {line}
        </Text>
      ))}
    </>
  );
}

function Choice({ selected, theme, children }: { selected: boolean; theme: Theme; children: ReactNode }) {
  return (
    <Text color={selected ? theme.accent : undefined} bold={selected}>
      {selected ? '› ' : '  '}
      {children}
    </Text>
  );
}

/** A one-line text field with a block cursor; long text shows its end. */
export function Field({ value, width, cursor = true }: { value: string; width: number; cursor?: boolean }) {
  const room = Math.max(4, width - 3);
  const shown = value.length > room ? '…' + value.slice(value.length - room + 1) : value;
  return <Text>{`> ${shown}${cursor ? '█' : ''}`}</Text>;
}

const osWords = { linux: 'Linux', macos: 'macOS' } as const;
const osDetail = { linux: 'from a disk or cloud image, or installed from an ISO', macos: 'installed from a restore image (IPSW)' } as const;
const linuxWords = { image: 'A disk or cloud image (path or URL)', iso: 'An installer ISO image (path)', kernel: 'A kernel, and an initrd after a comma (paths)' } as const;

function OsStep({ width, theme, state, availability }: StepProps) {
  return (
    <Box flexDirection="column">
      <Text>Which system will the VM run? (↑/↓ choose)</Text>
      {OS_CHOICES.map((os, i) => {
        const a = availability[os];
        return (
          <Box key={os} flexDirection="column">
            <Choice selected={state.osIndex === i} theme={theme}>
              {osWords[os].padEnd(7)}
              {a.available ? osDetail[os] : '(unavailable)'}
            </Choice>
            {a.reason ? <Lines text={`    ${a.available ? 'Note' : 'Why'}: ${a.reason}`} width={width} color={theme.muted} /> : null}
          </Box>
        );
      })}
    </Box>
  );
}

function macLabel(option: MacOption, state: WizardState): string {
  switch (option.kind) {
    case 'latest': {
      if (state.latest) {
        const size = state.latest.sizeBytes ? `, ${formatBytes(state.latest.sizeBytes)}` : '';
        return `Latest macOS ${state.latest.version} (${state.latest.build}) from Apple${size}`;
      }
      return state.latestError ? 'Latest macOS from Apple (could not look it up)' : 'Latest macOS from Apple (looking it up…)';
    }
    case 'file':
      return 'A restore image (.ipsw) on this Mac';
    case 'url':
      return 'Download a restore image from a URL';
    case 'cached':
      return `Downloaded before: ${option.image.name} (${formatBytes(option.image.sizeBytes)})`;
  }
}

function SourceStep({ width, theme, state }: StepProps) {
  const candidates = state.candidates.length > 0 ? (
    <Text color={theme.muted}>{truncate(state.candidates.join('  '), width)}</Text>
  ) : null;
  if (OS_CHOICES[state.osIndex] === 'linux') {
    return (
      <Box flexDirection="column">
        <Text>Where does Linux come from? (↑/↓ choose; Tab completes names)</Text>
        {LINUX_CHOICES.map((choice, i) => (
          <Box key={choice} flexDirection="column">
            <Choice selected={state.linuxIndex === i} theme={theme}>
              {linuxWords[choice]}
            </Choice>
            {state.linuxIndex === i ? <Field value={state[choice]} width={width} /> : null}
          </Box>
        ))}
        {state.linuxIndex === 0 ? (
          <Lines text="Raw or qcow2; a cloud image with cloud-init gets your user and SSH keys. An http(s) address is downloaded." width={width} color={theme.muted} />
        ) : null}
        {candidates}
      </Box>
    );
  }
  const options = macOptions(state);
  return (
    <Box flexDirection="column">
      <Text>Where does macOS come from? (↑/↓ choose)</Text>
      {options.map((option, i) => (
        <Box key={i} flexDirection="column">
          <Choice selected={state.macIndex === i} theme={theme}>
            {truncate(macLabel(option, state), width - 2)}
          </Choice>
          {state.macIndex === i && option.kind === 'file' ? <Field value={state.ipswPath} width={width} /> : null}
          {state.macIndex === i && option.kind === 'url' ? <Field value={state.url} width={width} /> : null}
        </Box>
      ))}
      {candidates}
      {state.imagesError ? <Lines text={`Downloaded images cannot be listed: ${state.imagesError}`} width={width} color={theme.muted} /> : null}
    </Box>
  );
}

function NameStep({ width, state }: StepProps) {
  return (
    <Box flexDirection="column">
      <Text>A name for the VM (letters, digits, '.', '_' and '-'):</Text>
      <Field value={state.name} width={width} />
    </Box>
  );
}

function AccessStep({ width, theme, state }: StepProps) {
  return (
    <Box flexDirection="column">
      <Text>The guest's user and SSH keys (↑/↓ or Tab: next field):</Text>
      <Choice selected={state.accessField === 0} theme={theme}>
        User (gets the keys and passwordless sudo):
      </Choice>
      <Field value={state.user} width={width} cursor={state.accessField === 0} />
      <Choice selected={state.accessField === 1} theme={theme}>
        SSH public key files, comma separated:
      </Choice>
      <Field value={state.keys} width={width} cursor={state.accessField === 1} />
      <Lines text={`Empty: ${DEFAULT_KEYS_TEXT}.`} width={width} color={theme.muted} />
    </Box>
  );
}

const sizeLabels = { cpus: 'CPUs', memory: 'Memory', disk: 'Disk' } as const;

function SizesStep({ width, theme, state, host }: StepProps) {
  const limits = {
    cpus: `of ${host.cpuCores} cores`,
    memory: `of ${formatBytes(host.memoryBytes)}`,
    disk: fromImage(state) ? `empty: the image's size; ${formatBytes(host.freeDiskBytes)} free` : `sparse; ${formatBytes(host.freeDiskBytes)} free`,
  };
  return (
    <Box flexDirection="column">
      <Text>CPUs, memory and disk (↑/↓ or Tab: next field; sizes as in 512M, 2G):</Text>
      {SIZE_FIELDS.map((f, i) => {
        const error = state.sizeErrors[f];
        return (
          <Box key={f} flexDirection="column">
            <Choice selected={state.field === i} theme={theme}>
              {`${sizeLabels[f].padEnd(7)} ${(state.sizes[f] + (state.field === i ? '█' : '')).padEnd(8)} ${limits[f]}`}
            </Choice>
            {error ? <Lines text={`  ✗ ${error}`} width={width} color={theme.error} /> : null}
          </Box>
        );
      })}
    </Box>
  );
}

function SummaryStep({ width, theme, state, host }: StepProps) {
  const c = state.choices;
  if (!c) return null;
  const rows = summaryRows(c, host);
  const labelWidth = Math.max(...rows.map(([k]) => k.length)) + 2;
  const url = downloadUrl(c.source);
  const what = c.source.kind === 'image'
    ? 'Enter creates the VM from the image; then it can start.'
    : c.source.kind === 'kernel'
    ? 'Enter creates the VM; then it can start and boot the kernel.'
    : c.os === 'linux'
    ? 'Enter creates the VM; then it can start and boot the ISO.'
    : url
      ? 'Enter downloads the image, creates the VM and installs macOS.'
      : 'Enter creates the VM and installs macOS.';
  return (
    <Box flexDirection="column">
      {rows.map(([k, v]) => (
        <Text key={k}>
          <Text color={theme.muted}>{k.padEnd(labelWidth)}</Text>
          {truncate(v, Math.max(10, width - labelWidth))}
        </Text>
      ))}
      <Text bold>{what}</Text>
    </Box>
  );
}

function ResumeStep({ theme, state, width }: StepProps) {
  const url = state.choices ? downloadUrl(state.choices.source) : undefined;
  const partial = url ? partialFor(url, state.images ?? []) : undefined;
  const size = partial ? `${formatBytes(partial.sizeBytes)}${partial.totalBytes ? ` of ${formatBytes(partial.totalBytes)}` : ''}` : '';
  return (
    <Box flexDirection="column">
      <Lines text={`Part of this image was downloaded before (${size}).`} width={width} />
      <Choice selected={state.resumeIndex === 0} theme={theme}>Resume the download</Choice>
      <Choice selected={state.resumeIndex === 1} theme={theme}>Start over (deletes the partial file)</Choice>
    </Box>
  );
}

export const stepTitles: Record<string, string> = {
  os: 'Guest system', source: 'Source', name: 'Name', access: 'User and SSH keys', sizes: 'CPUs, memory, disk', summary: 'Summary', resume: 'Download',
};

export function FormStep(props: StepProps) {
  switch (props.state.step) {
    case 'os':
      return <OsStep {...props} />;
    case 'source':
      return <SourceStep {...props} />;
    case 'name':
      return <NameStep {...props} />;
    case 'access':
      return <AccessStep {...props} />;
    case 'sizes':
      return <SizesStep {...props} />;
    case 'summary':
      return <SummaryStep {...props} />;
    case 'resume':
      return <ResumeStep {...props} />;
    default:
      return null;
  }
}
