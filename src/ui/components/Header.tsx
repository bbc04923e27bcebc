import { Box, Text } from 'ink';
import type { HostInfo, InitializeResult } from '../../rpc/protocol.js';
import { VMTUI_VERSION } from '../../version.js';
import { clampLines, hostFacts, joinToWidth, truncate, wrapWords } from '../../format/text.js';
import type { Theme } from '../theme.js';

// The note can be long; `vmtui host` prints it whole.
const NOTE_LINES = 2;

export interface HeaderProps {
  width: number;
  theme: Theme;
  init?: InitializeResult;
  host?: HostInfo;
}

export function Header({ width, theme, init, host }: HeaderProps) {
  const title = `vmtui ${VMTUI_VERSION}`;
  const right = init ? `helper ${init.helperVersion}${host ? ` · ${host.hostname}` : ''}` : '';
  const room = Math.max(0, width - title.length - 1);
  return (
    <Box flexDirection="column" width={width}>
      <Box justifyContent="space-between">
        <Text bold color={theme.accent}>
          {title}
        </Text>
        <Text color={theme.muted}>{truncate(right, room)}</Text>
      </Box>
      {host && init ? (
        <>
          <Text>{joinToWidth(hostFacts(host, init), width)}</Text>
          {clampLines(wrapWords(host.virtualization.note, width), NOTE_LINES, width).map((line, i) => (
            <Text key={i} color={host.virtualization.hardware ? theme.muted : theme.warning}>
              {line}
            </Text>
          ))}
        </>
      ) : null}
    </Box>
  );
}
